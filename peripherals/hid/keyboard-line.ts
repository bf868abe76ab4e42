/**
 * Keystrokes of a keyboard-emulation ("wedge") device → the lines it types. The card reader's swipe
 * and the barcode scanner's scan are both such lines; what a line means is the caller's.
 *   - A line ends on Enter (an Enter with nothing typed before it is ignored).
 *   - A device set to send no Enter may say when a line is complete by its content (`isComplete`).
 *   - Keystrokes that stop for a poll period end whatever was typed (`idle()`): the caller judges
 *     whether that is a whole line (a scanner with no suffix) or a broken one (a half swipe).
 * A key that types no character is kept in the line as U+FFFD, so the line fails to parse rather
 * than silently losing a character.
 */
import type { KeyStroke } from './boot-keyboard.ts';

export const UNTYPEABLE = '\ufffd';

export class KeyboardLineAssembler {
  readonly #isComplete: (typed: string) => boolean;
  #typed = '';

  constructor(isComplete: (typed: string) => boolean = () => false) {
    this.#isComplete = isComplete;
  }

  /** The line this stroke ended, if it ended one. */
  push(stroke: KeyStroke): string | undefined {
    if (stroke.kind === 'enter') return this.idle();
    this.#typed += stroke.kind === 'char' ? stroke.char : UNTYPEABLE;
    return this.#isComplete(this.#typed) ? this.idle() : undefined;
  }

  /** The keystrokes stopped (or the line ended): whatever was typed, if anything. */
  idle(): string | undefined {
    if (this.#typed.length === 0) return undefined;
    const line = this.#typed;
    this.#typed = '';
    return line;
  }
}
