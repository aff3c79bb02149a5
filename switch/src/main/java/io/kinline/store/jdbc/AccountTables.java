package io.kinline.store.jdbc;

import io.kinline.store.AccountKind;

/** Where each kind of account lives: its table and the column that keys it. The one mapping. */
final class AccountTables {

    private AccountTables() {
    }

    static String table(AccountKind kind) {
        return kind == AccountKind.DEBIT ? "debit_account" : "prepaid_account";
    }

    /** The inmate id of a debit account, the BTN of a prepaid one. */
    static String keyColumn(AccountKind kind) {
        return kind == AccountKind.DEBIT ? "inmate_id" : "btn";
    }
}
