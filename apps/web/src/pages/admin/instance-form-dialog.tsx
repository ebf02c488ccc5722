import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useApi } from "../../auth/session";
import { errorMessage, errorReason } from "../../lib/errors";
import { SelectField, TextField } from "../../ui/field";
import { FormDialog } from "../../ui/form-dialog";
import { useToast } from "../../ui/toast";
import { type Instance, webhookUrl } from "./instance-shared";

type Provider = "META" | "EVOLUTION";
type FieldDef = { key: string; label: string; hint?: string; required?: boolean; secret?: boolean };

const FIELDS: Record<Provider, FieldDef[]> = {
  META: [
    { key: "phoneNumberId", label: "Phone number ID", required: true, hint: "Número (só dígitos) do painel da Meta." },
    { key: "wabaId", label: "WABA ID", hint: "ID da conta do WhatsApp Business (opcional)." },
    { key: "accessToken", label: "Token de acesso", required: true, secret: true },
    { key: "appSecret", label: "App secret", required: true, secret: true, hint: "Valida a assinatura dos webhooks." },
    {
      key: "verifyToken",
      label: "Verify token",
      required: true,
      secret: true,
      hint: "O mesmo texto que você informar à Meta ao cadastrar o webhook (mín. 8 caracteres).",
    },
    { key: "graphVersion", label: "Versão da Graph API", hint: "Ex.: v23.0 (vazio = padrão)." },
    { key: "baseUrl", label: "URL base", hint: "Vazio = https://graph.facebook.com (troque só para proxy ou testes)." },
  ],
  EVOLUTION: [
    { key: "baseUrl", label: "URL da Evolution API", required: true, hint: "Ex.: https://evolution.suaempresa.com.br" },
    { key: "apiKey", label: "API key", required: true, secret: true },
    { key: "instanceName", label: "Nome da instância", required: true, hint: "Como está cadastrada na Evolution." },
    {
      key: "webhookSecret",
      label: "Segredo do webhook",
      required: true,
      secret: true,
      hint: "Mín. 16 caracteres; configure-o na Evolution no cabeçalho x-webhook-secret.",
    },
  ],
};

const FIELD_LABEL = Object.fromEntries(
  [...FIELDS.META, ...FIELDS.EVOLUTION].map((f) => [f.key, f.label] as const),
) as Record<string, string>;

/** Server validation names the field (`details.field`, e.g. `config.baseUrl`): say which one, in pt-BR. */
function saveError(err: unknown): string {
  const refused = errorReason(err);
  const key = refused?.field?.split(".").at(-1);
  const label = key ? FIELD_LABEL[key] : undefined;
  if (!label) return errorMessage(err);
  return refused?.reason === "INVALID_INPUT" ? `${label}: valor inválido.` : `${label}: ${errorMessage(err)}`;
}

/**
 * New or edit a number. Secrets are write-only: when editing, their fields
 * start blank with the API's masked hint, and blank means "keep".
 */
export function InstanceFormDialog({
  instance,
  onClose,
  onDone,
}: {
  instance: Instance | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const api = useApi();
  const toast = useToast();
  const [provider, setProvider] = useState<Provider>(instance?.provider ?? "META");
  const [name, setName] = useState(instance?.name ?? "");
  const [values, setValues] = useState<Record<string, string>>({ ...(instance?.config ?? {}) });
  const fields = FIELDS[provider];
  const pick = (secret: boolean) =>
    Object.fromEntries(
      fields
        .filter((f) => Boolean(f.secret) === secret && (values[f.key] ?? "").trim())
        .map((f) => [f.key, (values[f.key] ?? "").trim()]),
    ) as Record<string, string>;

  const save = useMutation({
    mutationFn: async () => {
      const config = pick(false);
      const secrets = pick(true);
      if (instance) {
        // Cleared optional settings are sent empty only if they were set; blank secrets keep their value.
        return api.instances.update.mutate({
          id: instance.id,
          name: name.trim(),
          config,
          secrets: Object.keys(secrets).length ? secrets : undefined,
        });
      }
      if (provider === "META") {
        return api.instances.create.mutate({
          provider,
          name: name.trim(),
          config: config as { phoneNumberId: string },
          secrets: secrets as { accessToken: string; appSecret: string; verifyToken: string },
        });
      }
      return api.instances.create.mutate({
        provider,
        name: name.trim(),
        config: config as { baseUrl: string; instanceName: string },
        secrets: secrets as { apiKey: string; webhookSecret: string },
      });
    },
    onSuccess: (i) => {
      toast(instance ? `Número ${i.name} salvo.` : `Número ${i.name} criado.`);
      onDone();
    },
  });
  const missing = fields.some((f) => f.required && !(f.secret && instance) && !(values[f.key] ?? "").trim());
  return (
    <FormDialog
      title={instance ? `Editar ${instance.name}` : "Novo número"}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      error={save.error && saveError(save.error)}
      pending={save.isPending}
      canSubmit={!!name.trim() && !missing}
      submitLabel={instance ? "Salvar" : "Criar número"}
      wide
    >
      <div className="grid-2">
        <TextField
          label="Nome"
          required
          autoFocus
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint="Como operadores e relatórios verão este número. Ex.: Loja Centro"
        />
        <SelectField
          label="Provedor"
          value={provider}
          disabled={instance !== null}
          onChange={(e) => setProvider(e.target.value as Provider)}
        >
          <option value="META">Meta (WhatsApp Cloud API oficial)</option>
          <option value="EVOLUTION">Evolution API (QR code)</option>
        </SelectField>
      </div>
      <div className="grid-2">
        {fields.map((f) => {
          const masked = instance?.secrets[f.key];
          return (
            <TextField
              key={`${provider}-${f.key}`}
              label={f.label}
              required={f.required && !(f.secret && instance)}
              type={f.secret ? "password" : "text"}
              autoComplete={f.secret ? "new-password" : "off"}
              value={values[f.key] ?? ""}
              placeholder={f.secret && masked ? masked : undefined}
              onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
              hint={f.secret && instance ? `Atual: ${masked ?? "não definido"}. Deixe em branco para manter.` : f.hint}
            />
          );
        })}
      </div>
      {instance ? (
        <p className="small">
          URL do webhook para configurar no provedor: <code className="webhook-url">{webhookUrl(instance)}</code>
        </p>
      ) : (
        <p className="muted small">
          Depois de salvar, a tabela mostra a URL do webhook a configurar no provedor
          {provider === "META" ? ` (${window.location.origin}/webhooks/meta).` : "."}
        </p>
      )}
    </FormDialog>
  );
}
