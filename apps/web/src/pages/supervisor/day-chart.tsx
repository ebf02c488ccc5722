import { formatInt } from "../../lib/format";
import { shortDay } from "../../lib/period";

type Point = { day: string; closed: number; expired: number };

const W = 720;
const H = 200;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/**
 * Conversations finished per day as stacked bars (encerradas + expiradas),
 * hand-drawn SVG: no chart library in the bundle. The numbers are also in a
 * visually hidden table for screen readers.
 */
export function DayChart({ series }: { series: Point[] }) {
  const max = Math.max(1, ...series.map((p) => p.closed + p.expired));
  const step = Math.max(1, 10 ** Math.floor(Math.log10(max)));
  const top = Math.ceil(max / step) * step;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, series.length);
  const bar = Math.max(2, Math.min(32, slot * 0.7));
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const labelEvery = Math.ceil(series.length / 12);
  const ticks = [0, top / 2, top];
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label="Conversas finalizadas por dia" preserveAspectRatio="none">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="chart-label">
              {formatInt(Math.round(t))}
            </text>
          </g>
        ))}
        {series.map((p, i) => {
          const x = PAD.left + i * slot + (slot - bar) / 2;
          return (
            <g key={p.day}>
              <title>{`${shortDay(p.day)}: ${p.closed} encerradas, ${p.expired} expiradas`}</title>
              <rect x={x} y={y(p.closed)} width={bar} height={y(0) - y(p.closed)} className="chart-closed" />
              <rect
                x={x}
                y={y(p.closed + p.expired)}
                width={bar}
                height={y(p.closed) - y(p.closed + p.expired)}
                className="chart-expired"
              />
              {i % labelEvery === 0 && (
                <text x={x + bar / 2} y={H - 8} textAnchor="middle" className="chart-label">
                  {shortDay(p.day)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="chart-legend">
        <span>
          <span className="swatch chart-closed" aria-hidden="true" /> Encerradas
        </span>
        <span>
          <span className="swatch chart-expired" aria-hidden="true" /> Expiradas
        </span>
      </figcaption>
      <table className="sr-only">
        <caption>Conversas finalizadas por dia</caption>
        <thead>
          <tr>
            <th scope="col">Dia</th>
            <th scope="col">Encerradas</th>
            <th scope="col">Expiradas</th>
          </tr>
        </thead>
        <tbody>
          {series.map((p) => (
            <tr key={p.day}>
              <td>{shortDay(p.day)}</td>
              <td>{p.closed}</td>
              <td>{p.expired}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
