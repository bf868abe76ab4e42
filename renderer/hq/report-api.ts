/** The report page's one call: the office report for a range of days, checked against its schema. */
import type { InjectionKey } from 'vue';
import { HeadOfficeReportSchema, type HeadOfficeReport } from '../../common/head-office/report.ts';

export interface ReportApi {
  report(from: string, to: string): Promise<HeadOfficeReport>;
}

export const reportApiKey: InjectionKey<ReportApi | undefined> = Symbol('reportApi');

type Fetch = (input: string, init: { headers: Record<string, string> }) => Promise<Pick<Response, 'ok' | 'status' | 'json'>>;

export function createReportApi(token: string, fetch: Fetch): ReportApi {
  return {
    async report(from, to) {
      const response = await fetch(`/api/report?${new URLSearchParams({ from, to })}`, { headers: { Authorization: `Bearer ${token}` } });
      const body: unknown = await response.json();
      if (!response.ok) throw new Error((body as { message?: string }).message ?? `HTTP ${response.status}`);
      return HeadOfficeReportSchema.parse(body);
    },
  };
}
