import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatPhone } from "../../lib/format";
import { ErrorBox, Loading } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { useContactSearch } from "./contact-search";
import { SendDialog, type SendDialogProps, useSendForm } from "./send-dialog";

type Errors = { name?: string; phone?: string };

/** Name required (up to 200 characters); a phone of 10 to 15 digits, the country code optional (DDD required). */
export function validateCard(name: string, phone: string): Errors {
  const errors: Errors = {};
  const digits = phone.replace(/\D/g, "");
  if (!name.trim()) errors.name = "Informe o nome do contato.";
  else if (name.trim().length > 200) errors.name = "O nome tem no máximo 200 caracteres.";
  if (!phone.trim()) errors.phone = "Informe o telefone.";
  else if (/[^\d\s()+.-]/.test(phone) || digits.length < 10 || digits.length > 15)
    errors.phone = "Telefone inválido: use DDD e número, como (11) 91234-5678.";
  return errors;
}

/**
 * Shares a contact card (messages.sendContact): picked from the contacts, or typed as a
 * name and a phone. The customer gets WhatsApp's "Conversar" / "Salvar" buttons.
 */
export function ContactCardDialog({ conversationId, replyToId, onClose, onSent }: SendDialogProps) {
  const api = useApi();
  const [search, setSearch] = useState("");
  const [name, setName] = useState("");
  const [phone, setPhone] = useState("");
  const found = useContactSearch(search);
  const form = useSendForm(
    () => validateCard(name, phone),
    () =>
      api.messages.sendContact.mutate({
        conversationId,
        contacts: [{ name: name.trim(), phones: [phone.trim()] }],
        replyToId: replyToId ?? undefined,
      }),
    onSent,
  );
  const { errors, setErrors } = form;
  return (
    <SendDialog title="Enviar contato" form={form} onClose={onClose}>
      <TextField
        label="Buscar nos contatos"
        type="search"
        autoFocus
        maxLength={100}
        placeholder="Nome ou telefone"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {found.isFetching && <Loading label="Buscando contatos…" />}
      {found.error && <ErrorBox message={errorMessage(found.error)} />}
      {found.data && found.data.length > 0 && (
        <ul className="contact-pick" aria-label="Contatos encontrados">
          {found.data.map((c) => (
            <li key={c.key}>
              <button
                type="button"
                className="btn btn-ghost btn-small"
                aria-pressed={name === c.name && phone === c.phone}
                onClick={() => {
                  setName(c.name);
                  setPhone(c.phone);
                  setErrors({});
                }}
              >
                {c.name} · {formatPhone(c.phone)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <TextField
        label="Nome"
        maxLength={200}
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={errors.name}
      />
      <TextField
        label="Telefone"
        type="tel"
        maxLength={30}
        placeholder="(11) 91234-5678"
        value={phone}
        onChange={(e) => setPhone(e.target.value)}
        error={errors.phone}
      />
    </SendDialog>
  );
}
