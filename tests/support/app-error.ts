import { AppError } from "../../src/errors.js";

/** The AppError an action throws; fails the test when it throws nothing or something else. */
export function appErrorOf(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError, but nothing was thrown");
}
