/** A department's name on its colour, as shown in queues and lists. */
export function DepartmentBadge({ name, color }: { name: string; color: string }) {
  return (
    <span className="badge department-badge" style={{ borderColor: color, color }}>
      <span aria-hidden="true" className="department-dot" style={{ background: color }} />
      {name}
    </span>
  );
}
