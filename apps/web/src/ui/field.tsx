import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from "react";

type Common = { label: string; hint?: string; error?: string };

/** A labelled input whose hint and error are announced with it (aria-describedby). */
export function TextField({ label, hint, error, id, ...input }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const inputId = id ?? auto;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errId = error ? `${inputId}-err` : undefined;
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hintId, errId].filter(Boolean).join(" ") || undefined}
        {...input}
      />
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      {error && (
        <small id={errId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

export function SelectField({
  label,
  hint,
  id,
  children,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { children: ReactNode }) {
  const auto = useId();
  const selectId = id ?? auto;
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} {...select}>
        {children}
      </select>
      {hint && <small className="hint">{hint}</small>}
    </div>
  );
}

export function CheckboxField({ label, id, ...input }: { label: string } & InputHTMLAttributes<HTMLInputElement>) {
  const auto = useId();
  const boxId = id ?? auto;
  return (
    <div className="field field-check">
      <input id={boxId} type="checkbox" {...input} />
      <label htmlFor={boxId}>{label}</label>
    </div>
  );
}
