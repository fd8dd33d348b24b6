// A page that fails while it is drawn shows a Dutch message with a way on,
// never a blank page or a stack (the error goes to the browser's console
// for whoever looks into it).
import { Alert, Button, Heading1, Paragraph } from "@utrecht/component-library-react";
import { Component, type ReactNode } from "react";

import { t } from "./messages";

export class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <Alert type="error" role="alert">
        <Heading1>{t.errorTitle}</Heading1>
        <Paragraph>{t.errorConsole}</Paragraph>
        <Button appearance="secondary-action-button" onClick={() => window.location.reload()}>{t.reload}</Button>
      </Alert>
    );
  }
}
