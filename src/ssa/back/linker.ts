// The system tools that turn objects into outputs: `cc` as the linker driver (it knows
// where libc and the startup files are) and `ar` for static libraries. Run with argument
// arrays, never through a shell; a failure carries the tool's own message.

import { execFile } from 'node:child_process';

export class ToolError extends Error {}

export function runTool(tool: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(tool, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') reject(new ToolError(`\`${tool}\` was not found on PATH; it is needed to link`));
        else reject(new ToolError(`\`${tool}\` failed: ${(stderr || err.message).trim()}`));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

export const LINKER = process.env.CODEGEND_CC ?? 'cc';
export const ARCHIVER = process.env.CODEGEND_AR ?? 'ar';
