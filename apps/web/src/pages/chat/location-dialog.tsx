import { useState } from "react";
import { useApi } from "../../auth/session";
import { TextField } from "../../ui/field";
import { SendDialog, type SendDialogProps, useSendForm } from "./send-dialog";

type Fields = { latitude: string; longitude: string; name: string; address: string };
type Errors = Partial<Record<keyof Fields, string>>;

/** "-23,5505" or "-23.5505": a decimal number, or null. */
function parseCoordinate(text: string): number | null {
  const t = text.trim().replace(",", ".");
  if (!/^[-+]?\d{1,3}(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** What WhatsApp takes: latitude -90..90, longitude -180..180; name and address bounded like the server. */
export function validateLocation(f: Fields): { errors: Errors; latitude: number; longitude: number } {
  const errors: Errors = {};
  const latitude = parseCoordinate(f.latitude);
  const longitude = parseCoordinate(f.longitude);
  if (!f.latitude.trim()) errors.latitude = "Informe a latitude.";
  else if (latitude === null) errors.latitude = "Latitude inválida: use um número como -23,5505.";
  else if (latitude < -90 || latitude > 90) errors.latitude = "A latitude vai de -90 a 90.";
  if (!f.longitude.trim()) errors.longitude = "Informe a longitude.";
  else if (longitude === null) errors.longitude = "Longitude inválida: use um número como -46,6333.";
  else if (longitude < -180 || longitude > 180) errors.longitude = "A longitude vai de -180 a 180.";
  if (f.name.trim().length > 200) errors.name = "O nome do local tem no máximo 200 caracteres.";
  if (f.address.trim().length > 500) errors.address = "O endereço tem no máximo 500 caracteres.";
  return { errors, latitude: latitude ?? 0, longitude: longitude ?? 0 };
}

/** Sends a map pin (messages.sendLocation): coordinates, with an optional place name and address. */
export function LocationDialog({ conversationId, replyToId, onClose, onSent }: SendDialogProps) {
  const api = useApi();
  const [fields, setFields] = useState<Fields>({ latitude: "", longitude: "", name: "", address: "" });
  const form = useSendForm(
    () => validateLocation(fields).errors,
    () => {
      const { latitude, longitude } = validateLocation(fields);
      return api.messages.sendLocation.mutate({
        conversationId,
        latitude,
        longitude,
        name: fields.name.trim() || undefined,
        address: fields.address.trim() || undefined,
        replyToId: replyToId ?? undefined,
      });
    },
    onSent,
  );
  const { errors } = form;
  const set = (key: keyof Fields) => (e: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [key]: e.target.value }));
  return (
    <SendDialog title="Enviar localização" form={form} onClose={onClose}>
      <TextField
        label="Latitude"
        inputMode="decimal"
        autoFocus
        placeholder="-23,5505"
        value={fields.latitude}
        onChange={set("latitude")}
        error={errors.latitude}
      />
      <TextField
        label="Longitude"
        inputMode="decimal"
        placeholder="-46,6333"
        value={fields.longitude}
        onChange={set("longitude")}
        error={errors.longitude}
      />
      <TextField
        label="Nome do local (opcional)"
        maxLength={200}
        value={fields.name}
        onChange={set("name")}
        error={errors.name}
      />
      <TextField
        label="Endereço (opcional)"
        maxLength={500}
        value={fields.address}
        onChange={set("address")}
        error={errors.address}
      />
    </SendDialog>
  );
}
