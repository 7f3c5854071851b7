import { readFileSync } from 'node:fs';

/**
 * A subgraph's own role table: role -> subjects. Looked up on every request, never copied
 * into tokens, so a grant or revoke takes effect on the next request.
 */
export class RoleStore {
  private readonly members = new Map<string, Set<string>>();

  constructor(seed: Record<string, string[]> = {}) {
    for (const [role, subjects] of Object.entries(seed)) this.members.set(role, new Set(subjects));
  }

  /** Reads a roles.json file ({"role": ["subject", ...]}). */
  static fromFile(file: string): RoleStore {
    return new RoleStore(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>);
  }

  has(subject: string, role: string): boolean {
    return this.members.get(role)?.has(subject) ?? false;
  }

  grant(subject: string, role: string): void {
    const subjects = this.members.get(role) ?? new Set<string>();
    subjects.add(subject);
    this.members.set(role, subjects);
  }

  revoke(subject: string, role: string): void {
    this.members.get(role)?.delete(subject);
  }
}
