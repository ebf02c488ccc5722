import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage } from "../../lib/errors";
import { CheckboxField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { useToast } from "../../ui/toast";
import type { Contact } from "./contacts-page";

type Row = { key: string; value: string };

/** New contact or edit one: phone, name, e-mail, tags, custom fields and campaign opt-out. */
export function ContactFormDialog({
  contact,
  onClose,
  onDone,
}: {
  contact: Contact | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const toast = useToast();
  const [phone, setPhone] = useState(contact?.phone ?? "");
  const [name, setName] = useState(contact?.name ?? "");
  const [email, setEmail] = useState(contact?.email ?? "");
  const [tags, setTags] = useState((contact?.tags ?? []).join(", "));
  const [optedOut, setOptedOut] = useState(Boolean(contact?.optedOutAt));
  const [fields, setFields] = useState<Row[]>(
    Object.entries(contact?.customFields ?? {}).map(([key, value]) => ({ key, value: String(value) })),
  );
  const save = useMutation({
    mutationFn: () => {
      const data = {
        phone: phone.trim(),
        name: name.trim() || null,
        email: email.trim() || null,
        tags: tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean),
        customFields: Object.fromEntries(fields.filter((f) => f.key.trim()).map((f) => [f.key.trim(), f.value])),
        optedOut,
      };
      return contact ? api.contacts.update.mutate({ id: contact.id, ...data }) : api.contacts.create.mutate(data);
    },
    onSuccess: (c) => {
      toast(contact ? "Contato salvo." : `Contato ${c.name ?? c.phone} criado.`);
      onDone();
    },
  });
  const setField = (i: number, next: Partial<Row>) =>
    setFields((all) => all.map((f, j) => (j === i ? { ...f, ...next } : f)));
  return (
    <FormDialog
      title={contact ? `Editar ${contact.name ?? contact.phone}` : "Novo contato"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && errorMessage(save.error)}
      pending={save.isPending}
      canSubmit={!!phone.trim()}
      submitLabel={contact ? "Salvar" : "Criar contato"}
      wide
    >
      <div className="grid-2">
        <TextField
          label="Telefone"
          required
          autoFocus
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
          hint="Com DDD; outros países com +código. Ex.: (11) 98765-4321"
        />
        <TextField label="Nome" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
        <TextField label="E-mail" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField
          label="Etiquetas"
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          hint="Separe por vírgulas."
        />
      </div>
      <fieldset className="fieldset">
        <legend>Campos personalizados</legend>
        {fields.map((f, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity besides their position
          <div key={i} className="grid-2">
            <TextField label={`Campo ${i + 1}`} value={f.key} onChange={(e) => setField(i, { key: e.target.value })} />
            <TextField
              label={`Valor do campo ${i + 1}`}
              value={f.value}
              onChange={(e) => setField(i, { value: e.target.value })}
            />
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setFields((all) => [...all, { key: "", value: "" }])}
        >
          Adicionar campo
        </button>
      </fieldset>
      <CheckboxField
        label="Não quer receber campanhas (opt-out)"
        checked={optedOut}
        onChange={(e) => setOptedOut(e.target.checked)}
      />
    </FormDialog>
  );
}
