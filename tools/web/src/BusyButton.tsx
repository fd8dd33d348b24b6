// A button whose call is running: marked busy and aria-disabled, and it
// ignores presses, but it keeps the keyboard focus. A disabled button
// would drop the focus to the start of the page (WCAG 2.4.3), which is
// where a keyboard user would be left after every action.
import { Button, type ButtonProps } from "@utrecht/component-library-react";

export function BusyButton({ busy, onClick, ...props }: ButtonProps & { busy: boolean }) {
  return (
    <Button
      {...props}
      busy={busy}
      aria-disabled={busy || props.disabled || undefined}
      onClick={(e) => {
        if (busy) {
          e.preventDefault(); // a submit button: no second submission
          return;
        }
        onClick?.(e);
      }}
    />
  );
}
