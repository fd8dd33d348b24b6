// A labelled text field (the NL Design System's form field parts).
import { FormField, FormLabel, Textbox } from "@utrecht/component-library-react";

export function Field(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
  required?: boolean;
  max?: string;
}) {
  return (
    <FormField>
      <FormLabel htmlFor={props.id}>{props.label}</FormLabel>
      <Textbox
        id={props.id}
        type={props.type ?? "text"}
        max={props.max}
        required={props.required}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </FormField>
  );
}
