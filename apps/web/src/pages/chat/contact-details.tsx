import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { formatPhone } from "../../lib/format";
import type { Out } from "../../lib/types";
import { ErrorBox } from "../../ui/feedback";
import { TextField } from "../../ui/field";
import { useToast } from "../../ui/toast";

type Contact = Out["contacts"]["get"];

/** The customer's details and tags: read by everyone, changed by staff (the server refuses operators). */
export function ContactDetails({ contact, editable }: { contact: Contact; editable: boolean }) {
  const [editing, setEditing] = useState(false);
  const fields = Object.entries(contact.customFields ?? {});
  if (editing) return <ContactForm contact={contact} onDone={() => setEditing(false)} />;
  return (
    <section aria-labelledby="customer-details-title" className="customer-section">
      <h3 id="customer-details-title">Dados</h3>
      <dl className="customer-details">
        <dt>Nome</dt>
        <dd data-testid="customer-name">{contact.name || "—"}</dd>
        <dt>Telefone</dt>
        <dd>{formatPhone(contact.phone) || "—"}</dd>
        <dt>E-mail</dt>
        <dd>{contact.email || "—"}</dd>
        {fields.map(([k, v]) => (
          <div key={k} className="customer-field">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <ul className="tag-list" aria-label="Etiquetas do contato">
        {contact.tags.map((t) => (
          <li key={t} className="tag tag-contact">
            👤 {t}
          </li>
        ))}
        {contact.tags.length === 0 && <li className="muted small">Sem etiquetas</li>}
      </ul>
      {editable ? (
        <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
          Editar contato
        </button>
      ) : (
        <p className="muted small">Só supervisores e administradores alteram os dados do contato.</p>
      )}
    </section>
  );
}

function ContactForm({ contact, onDone }: { contact: Contact; onDone: () => void }) {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [name, setName] = useState(contact.name ?? "");
  const [email, setEmail] = useState(contact.email ?? "");
  const [tags, setTags] = useState(contact.tags.join(", "));
  const save = useMutation({
    mutationFn: () =>
      api.contacts.update.mutate({
        id: contact.id,
        name: name.trim() || null,
        email: email.trim() || null,
        tags: tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
      }),
    onSuccess: () => {
      toast("Contato atualizado.");
      void qc.invalidateQueries({ queryKey: ["contacts.get", contact.id] });
      void qc.invalidateQueries({ queryKey: ["conversations.mine"] });
      void qc.invalidateQueries({ queryKey: ["conversations.get"] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form className="customer-section customer-form" onSubmit={submit} aria-label="Editar contato">
      {save.error && <ErrorBox message={errorMessage(save.error)} />}
      <TextField label="Nome" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      <TextField label="E-mail" type="email" value={email} maxLength={254} onChange={(e) => setEmail(e.target.value)} />
      <TextField
        label="Etiquetas do contato"
        value={tags}
        onChange={(e) => setTags(e.target.value)}
        hint="Separadas por vírgula."
      />
      <div className="row-actions">
        <button type="button" className="btn btn-small" onClick={onDone}>
          Cancelar
        </button>
        <button type="submit" className="btn btn-small btn-primary" disabled={save.isPending}>
          {save.isPending ? "Salvando…" : "Salvar"}
        </button>
      </div>
    </form>
  );
}
