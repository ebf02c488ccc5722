type OrderItem = { productId: string; quantity: number; price: number; currency: string };
export type Order = { text?: string; items: OrderItem[] };

export const money = (value: number, currency: string) => {
  try {
    return new Intl.NumberFormat("pt-BR", { style: "currency", currency }).format(value);
  } catch {
    // Not an ISO currency code: the amount with the code WhatsApp sent.
    return `${currency} ${value.toFixed(2)}`;
  }
};

/** A catalogue order: each item with its quantity and price, and the total. */
export function OrderCard({ order }: { order: Order }) {
  const currency = order.items[0]?.currency ?? "BRL";
  const total = order.items.reduce((sum, i) => sum + i.quantity * i.price, 0);
  const count = order.items.reduce((sum, i) => sum + i.quantity, 0);
  return (
    <div className="msg-kind msg-order">
      <strong>🛒 Pedido · {count === 1 ? "1 item" : `${count} itens`}</strong>
      <ul>
        {order.items.map((i) => (
          <li key={i.productId}>
            {i.quantity} × {i.productId} — {money(i.price, i.currency)}
          </li>
        ))}
      </ul>
      <span>
        Total: <strong>{money(total, currency)}</strong>
      </span>
    </div>
  );
}
