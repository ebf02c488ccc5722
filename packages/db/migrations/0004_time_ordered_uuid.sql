-- time_ordered_uuid(): a UUIDv7 (48-bit millisecond timestamp first, then random bits).
-- Rows inserted together get neighbouring keys, so a bulk insert appends to the right edge
-- of the primary-key index instead of touching a random page per row (random v4 keys do).
-- Postgres 18 has uuidv7() built in; older servers get the same layout from gen_random_uuid().
DO $$
BEGIN
  IF to_regprocedure('pg_catalog.uuidv7()') IS NOT NULL THEN
    CREATE OR REPLACE FUNCTION time_ordered_uuid() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE
      AS 'SELECT pg_catalog.uuidv7()';
  ELSE
    -- Bytes 0-5: Unix time in ms; version nibble 0100 (v4) becomes 0111 (v7) by setting bits 52 and 53.
    CREATE OR REPLACE FUNCTION time_ordered_uuid() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE
      AS $f$
        SELECT encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid())
          PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
          FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid
      $f$;
  END IF;
END
$$;
