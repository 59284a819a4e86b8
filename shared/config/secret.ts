import { z } from 'zod';

/** The env fields that hold secrets: on the cluster they come from the service's Secret, never its ConfigMap. */
const secrets = z.registry<{ readonly secret: true }>();

/** Marks an environment field as a secret (a password, a private key, a URL carrying credentials). */
export function secret<Field extends z.ZodType>(field: Field): Field {
  secrets.add(field, { secret: true });
  return field;
}

/** Whether a field of an env schema was marked with {@link secret}. */
export function isSecret(field: z.ZodType): boolean {
  return secrets.has(field);
}
