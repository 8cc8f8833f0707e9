import { GraphQLError } from 'graphql';

export interface FieldProblem {
  /** Dotted path of the offending input field, e.g. `input.places`. */
  field: string;
  message: string;
}

/** Input was rejected before anything was written. Lists every problem, each naming its field. */
export class ValidationFailedError extends GraphQLError {
  readonly problems: FieldProblem[];

  constructor(problems: FieldProblem[]) {
    const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    super(`Invalid input, nothing was saved. ${summary}`, {
      extensions: { code: 'VALIDATION_FAILED', fields: problems },
    });
    this.problems = problems;
  }

  static of(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }]);
  }
}
