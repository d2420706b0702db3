/** The stand-in's authentication (bearer tokens) and a deny-list the test controls (RBAC answers). */

/** Who a request is, once its token was accepted. */
export interface StandInUser {
  name: string;
}

/** Bearer tokens and the rules that forbid verbs on resources. */
export class AccessTable {
  private readonly tokens = new Map<string, StandInUser>();
  private readonly denied = new Set<string>();

  /** Accepts `token` as user `name` from now on. */
  addToken(token: string, name: string): void {
    this.tokens.set(token, { name });
  }

  /** The user behind an `Authorization` header, or undefined (answered with 401). */
  authenticate(header: string | undefined): StandInUser | undefined {
    const m = header?.match(/^Bearer\s+(.+)$/i);
    return m ? this.tokens.get(m[1].trim()) : undefined;
  }

  /** Forbids a verb on a resource: at the cluster scope when namespace is undefined, else in that namespace; '*' matches any. */
  forbid(verb: string, resource: string, namespace?: string): void {
    this.denied.add(`${verb} ${resource} ${namespace ?? ''}`);
  }

  /** Lifts every rule. */
  allowAll(): void {
    this.denied.clear();
  }

  /** True when a rule denies this request. */
  isForbidden(verb: string, resource: string, namespace?: string): boolean {
    const ns = namespace ?? '';
    for (const v of [verb, '*']) for (const r of [resource, '*']) for (const n of [ns, ...(ns ? ['*'] : [])]) {
      if (this.denied.has(`${v} ${r} ${n}`)) return true;
    }
    return false;
  }
}
