export type Loc = { latitude: number; longitude: number; name?: string; address?: string };

/** A shared location: its name (or "Ver no mapa") linking to the map, and its address. */
export function LocationCard({ location }: { location: Loc }) {
  const href = `https://www.google.com/maps/search/?api=1&query=${location.latitude},${location.longitude}`;
  return (
    <div className="msg-kind msg-location">
      <a href={href} target="_blank" rel="noreferrer">
        📍 {location.name || "Ver no mapa"}
      </a>
      {location.address && <span className="muted small">{location.address}</span>}
      {location.name && (
        <a href={href} target="_blank" rel="noreferrer" className="small">
          Abrir no mapa
        </a>
      )}
    </div>
  );
}
