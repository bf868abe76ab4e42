/** The cashier-facing meaning of an ISO 8583 response code, in the current language. */
import { useI18n } from 'vue-i18n';
import { isKnownResponseCode } from '../i18n/response-codes.ts';

export function useResponseCodeText(): (code: string) => string {
  const { t } = useI18n();
  return (code) => (isKnownResponseCode(code) ? t(`responseCode.${code}`) : t('payment.unknownResponseCode'));
}
