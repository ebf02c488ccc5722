-- messages.search: Portuguese full-text search that ignores accents. unaccent (a trusted contrib extension) runs
-- before the Portuguese stemmer, so "não", "nao" and "NÃO" are one lexeme, as are "pedido" and "pedidos".
-- to_tsvector(regconfig, text) is immutable, so the expression index needs no stored column (no table rewrite).
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION elsehu_pt (COPY = pg_catalog.portuguese);--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION elsehu_pt ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;--> statement-breakpoint
CREATE INDEX "messages_search_idx" ON "messages" USING gin (to_tsvector('elsehu_pt'::regconfig, coalesce("body", '')));
