// The status bar item: the last build's reuse summary and the daemon's health. It keeps
// the state (status-state.ts) and redraws all of it (format.ts's statusView) on every
// change, so text, tooltip, colour and click target always agree.

import * as vscode from 'vscode';
import type { StatusResult } from '../../server/protocol.js';
import { statusView } from './format.mjs';
import { withBuild, withConnection, withStatus, type BuildSummary, type ConnectionState, type StatusState } from './status-state.mjs';

export class BuildStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: StatusState = { connection: 'stopped' };

  constructor() {
    this.item = vscode.window.createStatusBarItem('codegend.status', vscode.StatusBarAlignment.Left, 0);
    this.item.name = 'codegend';
    this.render();
    this.item.show();
  }

  setConnection(connection: ConnectionState, error?: string): void {
    this.state = withConnection(this.state, connection, error);
    this.render();
  }

  setBuild(build: BuildSummary): void {
    this.state = withBuild(this.state, build);
    this.render();
  }

  setStatus(status: StatusResult): void {
    this.state = withStatus(this.state, status);
    this.render();
  }

  dispose(): void {
    this.item.dispose();
  }

  private render(): void {
    const view = statusView(this.state);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.backgroundColor =
      view.severity === 'normal' ? undefined : new vscode.ThemeColor(view.severity === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
  }
}
