import { EmptyState } from "../ui/feedback";

/** A screen whose API is not there yet: says what will be here, nothing broken. */
export function PlannedPage({ title, description }: { title: string; description: string }) {
  return (
    <section aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
      </header>
      <EmptyState title="Em breve">
        <p>{description}</p>
      </EmptyState>
    </section>
  );
}
