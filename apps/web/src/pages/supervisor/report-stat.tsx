import { useId } from "react";

/** One figure of the reports page, with an optional "?" tooltip saying how it is measured. */
export function Stat({
  label,
  value,
  detail,
  tooltip,
  testId,
}: {
  label: string;
  value: string;
  detail?: string;
  tooltip?: string;
  testId?: string;
}) {
  const tipId = useId();
  return (
    <div className="stat" data-stat={testId}>
      <span className="stat-label">
        {label}
        {tooltip && (
          <span className="tip">
            <button type="button" className="tip-button" aria-describedby={tipId} aria-label={`O que é ${label}`}>
              ?
            </button>
            <span role="tooltip" id={tipId} className="tip-text">
              {tooltip}
            </span>
          </span>
        )}
      </span>
      <span className="stat-value">{value}</span>
      {detail && <span className="muted small">{detail}</span>}
    </div>
  );
}
