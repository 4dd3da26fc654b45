/**
 * A refusal the practice or the rules of the system explain. Each has a stable code
 * (e.g. `DIRECTORY.EMAIL_TAKEN`) that one error handler maps to a status, a GOV.UK page
 * or a problem+json body.
 */
export type ErrorKind = 'invalid' | 'not_found' | 'forbidden' | 'conflict' | 'unauthenticated' | 'too_many_requests';

export type FieldError = { field: string; message: string };

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: ErrorKind,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
};

export function invalid(code: string, fieldErrors: FieldError[], message = 'There is a problem with what was entered.') {
  return new DomainError(code, message, 'invalid', fieldErrors);
}

export function notFound(code: string, message = 'Page not found') {
  return new DomainError(code, message, 'not_found');
}

export function forbidden(code: string, message: string) {
  return new DomainError(code, message, 'forbidden');
}

export function conflict(code: string, message: string, fieldErrors: FieldError[] = []) {
  return new DomainError(code, message, 'conflict', fieldErrors);
}
