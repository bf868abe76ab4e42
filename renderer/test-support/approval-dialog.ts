/** Component tests: a supervisor approving in place, as the checkout's approval dialog asks. */
import { flushPromises, type VueWrapper } from '@vue/test-utils';

/** The supervisor types their own id and PIN in the approval dialog and submits it. */
export async function approveInDialog(wrapper: VueWrapper, credentials: { readonly operatorId: string; readonly pin: string }): Promise<void> {
  await wrapper.get('[data-testid="approval-operator"]').setValue(credentials.operatorId);
  await wrapper.get('[data-testid="approval-pin"]').setValue(credentials.pin);
  await wrapper.get('[data-testid="approval-dialog"] form').trigger('submit');
  await flushPromises();
}
