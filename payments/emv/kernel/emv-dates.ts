/**
 * EMV dates carry two-digit years (YYMMDD in 9A, 5F24, 5F25; MMYY in certificates). Book 3 §10.4.3
 * reads YY below 50 as 20YY and 50 or above as 19YY, so dates compare across the century.
 */
export function fullDate(yymmdd: string): string {
  return `${Number(yymmdd.slice(0, 2)) < 50 ? '20' : '19'}${yymmdd}`;
}
