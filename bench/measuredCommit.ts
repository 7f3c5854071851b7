import { execFileSync } from 'node:child_process';

/** What a run wrote itself, which does not make the measured code differ from its commit. */
const OUTPUTS = [':(exclude)bench/results', ':(exclude)README.md'];

/** The commit measured (short hash), `+changes` when tracked files other than the results differ from it; undefined outside a git checkout. */
export function measuredCommit(): string | undefined {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const commit = git('rev-parse', '--short', 'HEAD');
    const changed = git('status', '--porcelain', '--untracked-files=no', '--', '.', ...OUTPUTS);
    return changed ? `${commit}+changes` : commit;
  } catch {
    return undefined;
  }
}
