import { sql } from "drizzle-orm";
import { queueAutomatic } from "../messages/queue-automatic";
import { renderAutoText } from "../routing/render-text";
import type { Tx } from "../shared/context";
import { uuidArray } from "../shared/sql-arrays";
import { canSendFreeText, textContext } from "./text-context";

/**
 * The department's greeting ("Olá {{nome}}, aqui é {{operador}}…") to each
 * conversation just taken by an operator, in the assignment's transaction. One
 * query finds the departments with a greeting; without any, nothing else runs.
 */
export async function greetAssigned(
  tx: Tx,
  assigned: Array<{ id: string; department_id: string | null }>,
  now: Date,
): Promise<void> {
  const departmentIds = [...new Set(assigned.flatMap((a) => (a.department_id ? [a.department_id] : [])))];
  if (departmentIds.length === 0) return;
  const greeting = await tx.execute<{ id: string }>(sql`
    select id from departments where id = any(${uuidArray(departmentIds)}::uuid[])
      and coalesce(trim(greeting_message), '') <> ''`);
  if (greeting.length === 0) return;
  const withGreeting = new Set(greeting.map((d) => d.id));
  for (const a of assigned) {
    if (!a.department_id || !withGreeting.has(a.department_id)) continue;
    const c = await textContext(tx, a.id);
    const template = c?.department?.greetingMessage;
    if (!c || !template || !canSendFreeText(c, now)) continue;
    const text = renderAutoText(template, {
      nome: c.contactName,
      operador: c.operatorName,
      protocolo: c.protocol,
    });
    if (text) await queueAutomatic(tx, c.conversation, c.provider, { kind: "greeting", text }, now);
  }
}
