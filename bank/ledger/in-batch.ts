/**
 * The SQL condition "a transaction of batch ?1": one that came after the batch opened (a range scan
 * of the transactions' rowids) and names it. So no index on batch_id has to be kept up to date on
 * every approval, where 64 terminals' open batches would dirty 64 index pages per group commit.
 */
export const IN_BATCH = 'id > (SELECT opened_after_transaction_id FROM batches WHERE id = ?1) AND batch_id = ?1';
