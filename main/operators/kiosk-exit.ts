/**
 * Leaving kiosk mode. In kiosk mode the checkout is the whole screen and the cashier cannot close
 * it; the exit keys only ask the checkout to fetch a supervisor, who types their own id and PIN
 * there, as for a void. The station checks that approval here, like every other one (session.ts:
 * the supervisor role, the wrong-PIN lockout), writes who approved it to the station's log, and only
 * then tells the shell to let the checkout close and quit. Not while the till is busy (a card
 * payment waiting for the customer's PIN, a void, a settlement): quitting would leave it to the next
 * start's recovery, so the cashier finishes or cancels it first.
 *
 * The approval goes to the log, not to the journal's approvals: leaving kiosk mode moves no money
 * and belongs to no shift or sale, and the log is where the station's start and stop already are.
 */
import type { SignedIn } from '../../common/shift.ts';
import { SaleError } from '../sales/sale-error.ts';
import type { Credentials, Session } from './session.ts';

/** What the shell that put the checkout in kiosk mode (the Electron app) lets the station do. */
export interface KioskShell {
  /** The checkout is locked in kiosk mode now. */
  locked(): boolean;
  /** Lets the checkout close and quits the app: a supervisor approved. */
  leave(supervisor: SignedIn): void;
}

export interface KioskExitDeps {
  readonly session: Session;
  readonly shell: KioskShell | undefined;
  /** The till's current job, if any (a card payment, a void, a settlement): the app does not quit in the middle of one. */
  readonly till: { readonly holder: string | undefined };
  readonly log: (line: string) => void;
}

export async function exitKiosk(deps: KioskExitDeps, approval: Credentials): Promise<{ exiting: true }> {
  const { session, shell, till, log } = deps;
  // Checked first, so a refusal for these never spends one of the supervisor's PIN tries.
  if (!shell?.locked()) throw new SaleError('rejected', 'the station is not in kiosk mode');
  if (till.holder !== undefined) throw new SaleError('busy', `${till.holder} is in progress: finish or cancel it before leaving kiosk mode`);
  let supervisor: SignedIn;
  try {
    supervisor = await session.approve(approval, 'leaving kiosk mode');
  } catch (error) {
    log(`kiosk: leaving kiosk mode refused for operator ${approval.operatorId}: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  const cashier = session.operator;
  log(`kiosk: leaving kiosk mode, approved by supervisor ${supervisor.name} (${supervisor.id})${cashier ? `; ${cashier.name} (${cashier.id}) was signed in` : ''}`);
  shell.leave(supervisor);
  return { exiting: true };
}
