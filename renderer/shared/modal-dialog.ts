/**
 * Dialogs that behave as dialogs: focus moves into one when it opens, Tab and Shift+Tab stay inside
 * the topmost one, Escape closes it when it can be closed, and focus goes back to where it was when
 * it closes. Dialogs stack (an approval over a refund over the transactions): only the topmost one
 * is live. One document-level listener serves them all, so Escape works even when a click on the
 * backdrop took focus to the page body.
 */
import { nextTick, onBeforeUnmount, onMounted, watch, type Ref } from 'vue';

export interface ModalDialogOptions {
  /** What Escape does; leave it out where closing is not the cashier's to do (a payment in flight, the sign-in gate). */
  readonly close?: () => void;
}

interface OpenDialog {
  readonly root: HTMLElement;
  readonly options: ModalDialogOptions;
  readonly returnFocusTo: Element | null;
}

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';
const stack: OpenDialog[] = [];
let listening = false;

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((element) => element.getClientRects().length > 0);
}

/** The field to type in first, else the first control, else the dialog itself. */
function focusInto(root: HTMLElement): void {
  const target = root.querySelector<HTMLElement>('[autofocus], input:not([disabled])') ?? focusables(root)[0];
  if (target) target.focus();
  else {
    if (!root.hasAttribute('tabindex')) root.setAttribute('tabindex', '-1');
    root.focus();
  }
}

function onKeydown(event: KeyboardEvent): void {
  const top = stack.at(-1);
  if (top === undefined || event.defaultPrevented) return;
  if (event.key === 'Escape') {
    if (top.options.close === undefined) return;
    event.preventDefault();
    top.options.close();
    return;
  }
  if (event.key !== 'Tab') return;
  const inside = focusables(top.root);
  const active = document.activeElement;
  if (inside.length === 0) {
    event.preventDefault();
    return;
  }
  const first = inside[0]!;
  const last = inside.at(-1)!;
  if (!(active instanceof HTMLElement) || !top.root.contains(active)) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  } else if (event.shiftKey && active === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

export function openModalDialog(root: HTMLElement, options: ModalDialogOptions = {}): () => void {
  const entry: OpenDialog = { root, options, returnFocusTo: document.activeElement };
  stack.push(entry);
  if (!listening) {
    document.addEventListener('keydown', onKeydown);
    listening = true;
  }
  focusInto(root);
  return () => {
    const index = stack.indexOf(entry);
    if (index >= 0) stack.splice(index, 1);
    // Back to where the cashier was, if that is still there to take it; else into the dialog now on top.
    const back = entry.returnFocusTo;
    if (back instanceof HTMLElement && back.isConnected && !back.matches(':disabled')) back.focus();
    else if (stack.length > 0) focusInto(stack.at(-1)!.root);
  };
}

/** For a component that is the dialog: open on mount, close on unmount. */
export function useModalDialog(root: Ref<HTMLElement | null | undefined>, options: ModalDialogOptions = {}): void {
  let release: (() => void) | undefined;
  onMounted(() => {
    if (root.value) release = openModalDialog(root.value, options);
  });
  onBeforeUnmount(() => release?.());
}

/** For a component that shows its dialog with v-if: open while `shown` is true (after the render that mounts it). */
export function useModalDialogWhile(shown: () => unknown, root: Ref<HTMLElement | null | undefined>, options: ModalDialogOptions = {}): void {
  let release: (() => void) | undefined;
  const stop = watch(
    () => Boolean(shown()),
    async (open) => {
      release?.();
      release = undefined;
      if (!open) return;
      await nextTick();
      if (root.value) release = openModalDialog(root.value, options);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    stop();
    release?.();
  });
}
