import { serviceInstances } from "@elsehu/db";
import { type InstanceRow, instanceSecrets } from "../instances/shape";
import type { CoreContext } from "../shared/context";

export type DirectoryEntry = {
  id: string;
  provider: "META" | "EVOLUTION";
  active: boolean;
  metaPhoneNumberId: string | null;
  /** Meta: the WhatsApp Business Account (routes template webhooks). */
  wabaId: string | undefined;
  instanceName: string | undefined;
  /** Decrypted: Meta app secret / verify token, Evolution webhook secret. Kept in memory only. */
  appSecret?: string;
  verifyToken?: string;
  webhookSecret?: string;
};

/**
 * An instance whose secrets cannot be decrypted (APP_ENCRYPTION_KEY changed, row
 * damaged) gets no secrets, so no webhook authenticates against it until an admin
 * re-enters them; it must not make every other instance's webhooks fail (it did: 500s).
 */
function readableSecrets(key: Buffer, row: Pick<InstanceRow, "secrets">) {
  try {
    return instanceSecrets(key, row);
  } catch {
    return {};
  }
}

/**
 * The webhook routes' view of service instances, cached in the API process so an
 * acknowledgement costs one database round trip (the insert). Entries live `ttlMs`;
 * a lookup that misses reloads at once (at most every `missReloadMs`), so a new
 * instance works immediately while a flood of bogus ids cannot hammer the database.
 */
export class InstanceDirectory {
  private entries: DirectoryEntry[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private ctx: Pick<CoreContext, "db" | "config">,
    private opts: { ttlMs: number; missReloadMs: number } = { ttlMs: 5000, missReloadMs: 100 },
  ) {}

  private reload(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const rows = await this.ctx.db.select().from(serviceInstances);
        this.entries = rows.map((row) => {
          const secrets = readableSecrets(this.ctx.config.encryptionKey, row);
          return {
            id: row.id,
            provider: row.provider,
            active: row.active,
            metaPhoneNumberId: row.metaPhoneNumberId,
            wabaId: row.config.wabaId,
            instanceName: row.config.instanceName,
            appSecret: secrets.appSecret,
            verifyToken: secrets.verifyToken,
            webhookSecret: secrets.webhookSecret,
          };
        });
        this.loadedAt = Date.now();
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** Runs `pick` on fresh-enough entries; on a miss reloads once and retries. */
  async find<T>(pick: (entries: DirectoryEntry[]) => T | undefined): Promise<T | undefined> {
    const age = Date.now() - this.loadedAt;
    if (age > this.opts.ttlMs) await this.reload();
    const hit = pick(this.entries);
    if (hit !== undefined) return hit;
    if (Date.now() - this.loadedAt < this.opts.missReloadMs) return undefined;
    await this.reload();
    return pick(this.entries);
  }

  /** Forget everything (after an admin edits an instance in this process). */
  invalidate(): void {
    this.loadedAt = 0;
  }
}
