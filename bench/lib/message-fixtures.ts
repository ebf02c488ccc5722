import type { Sql } from "@elsehu/db";

/** Most common first: the draw below favours the head, like real chat text. */
export const VOCAB = (
  "olá bom dia boa tarde obrigado obrigada por favor sim não pedido entrega nota fiscal boleto pagamento " +
  "cartão pix produto atendimento prazo troca devolução endereço número cadastro senha acesso aplicativo " +
  "site compra valor desconto promoção frete rastreio transportadora atraso chegou recebi enviado código " +
  "cancelamento reembolso estorno fatura vencimento segunda via parcela juros contrato plano assinatura " +
  "internet sinal técnico visita instalação agendamento horário manhã tarde semana ontem amanhã hoje " +
  "urgente reclamação problema defeito garantia assistência peça quebrado danificado embalagem caixa " +
  "loja filial gerente supervisor protocolo ouvidoria procon avaliação satisfação elogio sugestão dúvida " +
  "informação confirmação comprovante documento CPF CNPJ e-mail telefone WhatsApp mensagem resposta " +
  "aguardando retorno ligação chamado solicitação alteração atualização bloqueio desbloqueio crédito débito " +
  "saldo extrato limite aprovação análise cobrança indevida duplicada multa taxa tarifa mensalidade anuidade " +
  "geladeira televisão notebook celular fogão máquina lavar ventilador ar-condicionado micro-ondas cafeteira " +
  "liquidificador aspirador colchão sofá guarda-roupa"
).split(" ");

export type MessageFixtures = {
  operators: { id: string; name: string }[];
  supervisor: { id: string; name: string };
  contacts: number;
};

/**
 * `size` messages of generated Portuguese over size/10 contacts (one conversation each, on one number, 1 in 20
 * still open), served in turn by `operatorCount` operators, one message a second up to now. Words drawn Zipf-like
 * from VOCAB. The search index is built after the rows, as CREATE INDEX does faster than row-by-row upkeep.
 */
export async function generateMessages(sql: Sql, size: number, operatorCount = 50): Promise<MessageFixtures> {
  const contactsCount = Math.max(100, Math.floor(size / 10));
  const operators = await sql<{ id: string; name: string }[]>`
    insert into users (name, email, password_hash, role)
    select 'Operador ' || g, 'op' || g || '@bench.local', 'x', 'OPERATOR' from generate_series(1, ${operatorCount}::int) g
    returning id, name`;
  const [supervisor] = await sql<{ id: string; name: string }[]>`
    insert into users (name, email, password_hash, role) values ('Supervisora', 'sup@bench.local', 'x', 'SUPERVISOR')
    returning id, name`;
  const [instance] = await sql<{ id: string }[]>`
    insert into service_instances (name, provider, secrets) values ('Bench', 'META', 'x') returning id`;
  if (!supervisor || !instance) throw new Error("fixture rows not returned");
  await sql`insert into contacts (phone, phone_key, name, search_text)
    select '+55' || (11900000000 + g), '55' || (11900000000 + g), 'Cliente ' || g, 'cliente ' || g
    from generate_series(1, ${contactsCount}::int) g`;
  await sql`insert into conversations (contact_id, instance_id, status, operator_id, created_at, queued_at, closed_at)
    select c.id, ${instance.id}::uuid, (case when c.n % 20 = 0 then 'OPEN' else 'CLOSED' end)::conversation_status,
      (${operators.map((o) => o.id)}::uuid[])[1 + c.n % ${operatorCount}::int], now() - interval '30 days', now() - interval '30 days',
      case when c.n % 20 = 0 then null else now() end
    from (select id, row_number() over (order by id) as n from contacts) c`;
  await sql`create unlogged table bench_cv as
    select id, operator_id, (row_number() over (order by id)) - 1 as n from conversations`;
  // The search index as the migrations define it, rebuilt after the rows; the operator copied here, not by the
  // insert trigger (a lookup and a row lock of the conversation per message).
  const [search] = await sql<
    { def: string }[]
  >`select indexdef as def from pg_indexes where indexname = 'messages_search_idx'`;
  if (!search) throw new Error("messages_search_idx not found");
  await sql`drop index messages_search_idx`;
  await sql`alter table messages disable trigger messages_operator_of_conversation`;
  // In chunks of a million: one INSERT of ten million rows holds its whole random() draw in one transaction.
  const chunk = 1_000_000;
  for (let from = 1; from <= size; from += chunk) {
    const to = Math.min(size, from + chunk - 1);
    await sql`insert into messages (conversation_id, operator_id, instance_id, direction, type, body, status, created_at)
      select cv.id, cv.operator_id, ${instance.id}::uuid, (case when g % 2 = 0 then 'IN' else 'OUT' end)::message_direction, 'text',
        array_to_string(array(select (${VOCAB}::text[])[1 + floor(power(random(), 2.5) * ${VOCAB.length}::int)::int]
          from generate_series(1, 4 + (g % 9) + 0 * g)), ' '),
        'DELIVERED', now() - make_interval(secs => ${size}::int - g)
      from generate_series(${from}::int, ${to}::int) g join bench_cv cv on cv.n = g % ${contactsCount}::int`;
  }
  await sql`alter table messages enable trigger messages_operator_of_conversation`;
  await sql.unsafe(search.def);
  await sql`drop table bench_cv`;
  await sql`vacuum analyze`;
  return { operators, supervisor, contacts: contactsCount };
}
