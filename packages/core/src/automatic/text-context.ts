import { sql } from "drizzle-orm";
import type { DepartmentRow } from "../departments/manage-departments";
import type { Tx } from "../shared/context";

/** Meta takes free text only within 24 h of the customer's last message. */
const WINDOW_MS = 24 * 3600_000;

export type TextContext = {
  conversation: {
    id: string;
    instanceId: string;
    contactId: string;
    operatorId: string | null;
    departmentId: string | null;
  };
  provider: "META" | "EVOLUTION";
  /** The conversation's protocol number, for {{protocolo}}. */
  protocol: string;
  contactName: string | null;
  operatorName: string | null;
  lastInboundAt: Date | null;
  department: Pick<DepartmentRow, "greetingMessage" | "farewellMessage" | "csatEnabled" | "csatQuestion"> | null;
};

/** What an automatic message of a conversation needs: names for its variables, the number's provider, the department's texts. */
export async function textContext(tx: Tx, conversationId: string): Promise<TextContext | null> {
  const [r] = await tx.execute<{
    id: string;
    instance_id: string;
    contact_id: string;
    operator_id: string | null;
    department_id: string | null;
    provider: "META" | "EVOLUTION";
    protocol: string;
    contact_name: string | null;
    operator_name: string | null;
    last_inbound_at: string | Date | null;
    greeting_message: string | null;
    farewell_message: string | null;
    csat_enabled: boolean | null;
    csat_question: string | null;
  }>(sql`
    select c.id, c.protocol, c.instance_id, c.contact_id, c.operator_id, c.department_id, i.provider,
      ct.name as contact_name, u.name as operator_name, c.last_inbound_at,
      d.greeting_message, d.farewell_message, d.csat_enabled, d.csat_question
    from conversations c
    join service_instances i on i.id = c.instance_id
    join contacts ct on ct.id = c.contact_id
    left join users u on u.id = c.operator_id
    left join departments d on d.id = c.department_id
    where c.id = ${conversationId}`);
  if (!r) return null;
  return {
    conversation: {
      id: r.id,
      instanceId: r.instance_id,
      contactId: r.contact_id,
      operatorId: r.operator_id,
      departmentId: r.department_id,
    },
    provider: r.provider,
    protocol: r.protocol,
    contactName: r.contact_name,
    operatorName: r.operator_name,
    lastInboundAt: r.last_inbound_at ? new Date(r.last_inbound_at) : null,
    department: r.department_id
      ? {
          greetingMessage: r.greeting_message,
          farewellMessage: r.farewell_message,
          csatEnabled: r.csat_enabled ?? false,
          csatQuestion: r.csat_question,
        }
      : null,
  };
}

/** Whether free text may go out now: always on Evolution; on Meta within 24 h of the customer's last message. */
export function canSendFreeText(c: TextContext, now: Date): boolean {
  if (c.provider !== "META") return true;
  return c.lastInboundAt !== null && now.getTime() - c.lastInboundAt.getTime() < WINDOW_MS;
}
