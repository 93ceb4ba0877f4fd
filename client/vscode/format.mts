// What the extension shows people, as plain text: the status bar's text and tooltip,
// the Explain Rebuild report, a failed build's message (Cache Stats is `codegend stats`'s
// text, client/cache-stats-text.ts). Pure functions of the protocol's results (no
// `vscode` import), so they are unit-tested as data.

import type { BuildReport, ExplainResult, StatusResult } from '../../server/protocol.js';
import type { BuildSummary, StatusState } from './status-state.mjs';
import { formatDuration, plural } from '../cache-stats-text.js';

export interface StatusView {
  text: string;
  tooltip: string;
  /** Drives the item's background colour. */
  severity: 'normal' | 'warning' | 'error';
  /** The command a click runs. */
  command: 'codegend.explain' | 'codegend.restart' | 'workbench.actions.view.problems';
}

function reuseCounts(build: BuildReport): { rebuilt: number; reusedPre: number; reusedPost: number } {
  const counts = { rebuilt: 0, reusedPre: 0, reusedPost: 0 };
  for (const u of build.cgus) {
    if (u.reuse === 'No') counts.rebuilt++;
    else if (u.reuse === 'PreLto') counts.reusedPre++;
    else counts.reusedPost++;
  }
  return counts;
}

/** The status bar item for a state: the last build's reuse summary, or why there is none. */
export function statusView(state: StatusState): StatusView {
  const health = healthLines(state.status);
  const degraded = health.length > 0;
  const withHealth = (view: StatusView): StatusView =>
    degraded
      ? { ...view, text: `$(warning) ${view.text}`, tooltip: [view.tooltip, '', ...health].join('\n'), severity: view.severity === 'error' ? 'error' : 'warning' }
      : view;

  switch (state.connection) {
    case 'starting':
      return { text: '$(sync~spin) codegend: starting', tooltip: 'Starting the codegend daemon…', severity: 'normal', command: 'codegend.restart' };
    case 'stopped':
    case 'failed':
      return {
        text: state.connection === 'failed' ? 'codegend: not running' : 'codegend: stopped',
        tooltip: [state.connectionError ?? 'The codegend daemon is not running.', 'Click to restart it.'].join('\n'),
        severity: state.connection === 'failed' ? 'error' : 'warning',
        command: 'codegend.restart',
      };
    case 'running':
      break;
  }

  if (state.status?.building) {
    const c = state.status.current;
    const tooltip = c ? `Build #${c.buildId} (${c.trigger}) is running: ${c.done} of ${plural(c.total, 'unit')} done.` : 'A build is running.';
    return withHealth({ text: '$(sync~spin) codegend: building', tooltip, severity: 'normal', command: 'codegend.explain' });
  }
  const b = state.build;
  if (b) return withHealth(b.ok ? buildSucceededView(b) : buildFailedView(b));
  const last = state.status?.lastBuild;
  if (last) {
    // Known from `codegend/status` only, which does not list the units.
    const what = `Build #${last.buildId} (${last.trigger}) ${last.ok ? 'succeeded' : 'failed'} in ${formatDuration(last.ms)}.`;
    return withHealth(
      last.ok
        ? { text: `codegend: built · ${formatDuration(last.ms)}`, tooltip: `${what}\nClick for why units were rebuilt.`, severity: 'normal', command: 'codegend.explain' }
        : { text: 'codegend: build failed', tooltip: `${what}\nClick to see the problems.`, severity: 'error', command: 'workbench.actions.view.problems' },
    );
  }
  return withHealth({ text: 'codegend: ready', tooltip: 'No build yet. Run “codegend: Build”.', severity: 'normal', command: 'codegend.explain' });
}

function buildHeading(b: BuildSummary, outcome: string): string {
  const id = b.buildId !== undefined ? `Build #${b.buildId}` : 'Build';
  const trigger = b.trigger !== undefined ? ` (${b.trigger})` : '';
  return `${id}${trigger} ${outcome} in ${formatDuration(b.ms)}`;
}

function buildSucceededView(b: BuildSummary): StatusView {
  const c = reuseCounts(b);
  const reused = c.reusedPre + c.reusedPost;
  const kinds = [c.reusedPost > 0 ? `${c.reusedPost} post-LTO` : '', c.reusedPre > 0 ? `${c.reusedPre} pre-LTO` : ''].filter(Boolean).join(', ');
  const tooltip = [
    buildHeading(b, 'succeeded'),
    `Front end: ${b.frontEnd}${b.frontEndReason ? ` (${b.frontEndReason})` : ''}`,
    `${plural(c.rebuilt, 'unit')} rebuilt, ${reused} reused${kinds ? ` (${kinds})` : ''}`,
    ...(b.warnings.length > 0 ? [`${plural(b.warnings.length, 'cache warning')}: ${b.warnings[0]}`] : []),
    ...(b.output ? [`Output: ${b.output}`] : []),
    'Click for why units were rebuilt.',
  ];
  return {
    text: `codegend: ${c.rebuilt} rebuilt / ${reused} reused · ${formatDuration(b.ms)}`,
    tooltip: tooltip.join('\n'),
    severity: b.warnings.length > 0 ? 'warning' : 'normal',
    command: 'codegend.explain',
  };
}

function buildFailedView(b: BuildSummary): StatusView {
  const tooltip = [`${buildHeading(b, 'failed')}: ${failureCounts(b)}`, ...firstProblem(b)];
  if (b.keptLastGood) tooltip.push('The outputs of the last good build are still in place.');
  tooltip.push('Click to see the problems.');
  return { text: 'codegend: build failed', tooltip: tooltip.join('\n'), severity: 'error', command: 'workbench.actions.view.problems' };
}

function failureCounts(b: BuildReport): string {
  const errors = b.diagnostics.filter((d) => d.severity === 'error').length;
  const parts = [errors > 0 ? plural(errors, 'error') : '', b.errors.length > 0 ? plural(b.errors.length, 'tool error') : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no diagnostics';
}

function firstProblem(b: BuildReport): string[] {
  const d = b.diagnostics.find((x) => x.severity === 'error');
  if (d) return [`${d.file}:${d.line}:${d.column}: ${d.message}`];
  return b.errors.length > 0 ? [b.errors[0]!] : [];
}

function healthLines(status: StatusResult | undefined): string[] {
  if (!status || status.health === 'ok') return [];
  return ['The daemon is degraded:', ...status.problems.map((p) => `• ${p}`)];
}

/** The message of a failed `codegend.build`: how it failed and its first problem. */
export function buildFailureMessage(b: BuildReport): string {
  const first = firstProblem(b);
  return `codegend: build failed (${failureCounts(b)})${first.length > 0 ? `: ${first[0]}` : ''}`;
}

/** Explain Rebuild's report: which units were rebuilt and why, as `codegend explain` says it. */
export function formatExplain(result: ExplainResult, target: string | undefined): string {
  const heading = `Explain Rebuild: ${target === undefined ? 'every unit' : target}`;
  if (!result.build) return `${heading}\nNo build to explain yet: run “codegend: Build”.\n`;
  if (target !== undefined && result.units.length === 0) return `${heading}\nNo unit or function matching '${target}' in the last build (#${result.build.id}).\n`;
  // The daemon renders the same text as `codegend explain`.
  return `${heading}\n${result.text.trimEnd()}\n`;
}


