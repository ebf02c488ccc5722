import type { MetaNumber } from "./pipeline-flow";
import { metaInboundRaw, postMetaRaw } from "./pipeline-flow";

/**
 * Inbound webhooks posted the way a provider posts them, for as long as a
 * scenario runs: `lanes` in parallel, each message retried (on every API in
 * turn, backing off) until one answers 200. `stop()` stops starting new
 * messages and waits for the ones in flight to be acknowledged.
 */
export function webhookStream(
  urls: string[],
  number: MetaNumber,
  opts: { lanes?: number; contacts?: number; gapMs?: number; retryForMs?: number } = {},
) {
  const run = Date.now().toString(36);
  const contacts = opts.contacts ?? 30;
  const sent: string[] = [];
  const acked = new Map<string, number>();
  const refused: Record<string, number> = {};
  let stopping = false;
  let next = 0;
  const lane = async (l: number) => {
    while (!stopping) {
      const i = next++;
      const m = { from: `+55219${String(81_000_000 + (i % contacts))}`, id: `wamid.PG3.${run}.${i}`, body: `msg ${i}` };
      sent.push(m.id);
      const raw = metaInboundRaw(number, m);
      const deadline = Date.now() + (opts.retryForMs ?? 60_000);
      for (let attempt = 0; Date.now() < deadline; attempt++) {
        const status = await postMetaRaw(urls[(l + i + attempt) % urls.length] ?? "", number, raw, 5000);
        if (status === 200) {
          acked.set(m.id, Date.now());
          break;
        }
        refused[status] = (refused[status] ?? 0) + 1;
        await new Promise((r) => setTimeout(r, Math.min(1000, 100 * 2 ** attempt)));
      }
      await new Promise((r) => setTimeout(r, opts.gapMs ?? 50));
    }
  };
  const lanes = Array.from({ length: opts.lanes ?? 3 }, (_, l) => lane(l));
  return {
    sent,
    acked,
    refused,
    contacts,
    /** First acknowledgement at or after `t` (ms since epoch), if any. */
    firstAckAfter: (t: number) => Math.min(...[...acked.values()].filter((at) => at >= t)),
    stop: async () => {
      stopping = true;
      await Promise.all(lanes);
    },
  };
}
