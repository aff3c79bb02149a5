package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.AccountKind;
import io.kinline.store.DebitAccount;
import io.kinline.store.Deposit;
import io.kinline.store.PrepaidAccount;
import io.kinline.store.Store;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Debit (inmate) and prepaid (BTN) accounts: balances and deposits. */
final class AccountEndpoints {

    static final BigDecimal MIN_DEPOSIT = new BigDecimal("0.01");
    /** One deposit is at most this much: a typo like "10000" instead of "100.00" must not go through. */
    static final BigDecimal MAX_DEPOSIT = new BigDecimal("1000.00");

    private final Store store;
    private final Audit audit;
    private final InmateEndpoints inmates;

    AccountEndpoints(Store store, Audit audit, InmateEndpoints inmates) {
        this.store = store;
        this.audit = audit;
        this.inmates = inmates;
    }

    void register(Router r) {
        r.add("GET", "/api/accounts/debit/{inmateId}", Roles.ALL, this::getDebit);
        r.add("POST", "/api/accounts/debit/{inmateId}/deposits", Roles.MONEY, this::depositDebit);
        r.add("GET", "/api/accounts/debit/{inmateId}/deposits", Roles.ALL, this::debitDeposits);
        r.add("GET", "/api/accounts/prepaid/{btn}", Roles.ALL, this::getPrepaid);
        r.add("POST", "/api/accounts/prepaid/{btn}/deposits", Roles.MONEY, this::depositPrepaid);
        r.add("GET", "/api/accounts/prepaid/{btn}/deposits", Roles.ALL, this::prepaidDeposits);
    }

    private static BigDecimal amount(ApiRequest req) {
        JsonBody b = req.json();
        BigDecimal a = b.requiredAmount("amount", MIN_DEPOSIT, MAX_DEPOSIT, 2);
        b.optionalText("reference"); // free text (receipt number...), kept with the deposit and in the audit line
        b.finish();
        return a;
    }

    private ApiResponse getDebit(ApiRequest req) {
        String id = req.pathParam("inmateId");
        inmates.require(req, id);
        DebitAccount a = store.accounts().debit(id).orElse(null);
        return ApiResponse.ok(Views.debit(id, a));
    }

    private ApiResponse depositDebit(ApiRequest req) {
        String id = req.pathParam("inmateId");
        BigDecimal amount = amount(req);
        String reference = req.json().optionalText("reference").orElse(null);
        Map<String, Object> view = Tx.runRetryingConflict(store, () -> {
            inmates.require(req, id);
            Deposit d = store.accounts().deposit(AccountKind.DEBIT, id, amount, req.principal().actor(), reference);
            audit.record(req.principal(), "account.debit.deposit", "inmate:" + id, details(d));
            return withDeposit(Views.debit(id, store.accounts().debit(id).orElseThrow()), d);
        });
        return ApiResponse.created(view, "/api/accounts/debit/" + id);
    }

    private ApiResponse getPrepaid(ApiRequest req) {
        String btn = NumberInput.e164("btn", req.pathParam("btn"));
        PrepaidAccount a = store.accounts().prepaid(btn)
                .orElseThrow(() -> ApiException.notFound("no prepaid account for " + btn));
        return ApiResponse.ok(Views.prepaid(a));
    }

    private ApiResponse depositPrepaid(ApiRequest req) {
        String btn = NumberInput.e164("btn", req.pathParam("btn"));
        BigDecimal amount = amount(req);
        String reference = req.json().optionalText("reference").orElse(null);
        Map<String, Object> view = Tx.runRetryingConflict(store, () -> {
            Deposit d = store.accounts().deposit(AccountKind.PREPAID, btn, amount, req.principal().actor(), reference);
            audit.record(req.principal(), "account.prepaid.deposit", "btn:" + btn, details(d));
            return withDeposit(Views.prepaid(store.accounts().prepaid(btn).orElseThrow()), d);
        });
        return ApiResponse.created(view, "/api/accounts/prepaid/" + btn);
    }

    /** The account as after the deposit, plus the new deposit's id (to find it in the history). */
    private static Map<String, Object> withDeposit(Map<String, Object> account, Deposit d) {
        account.put("depositId", d.id());
        return account;
    }

    private static Map<String, Object> details(Deposit d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deposit", d.id());
        m.put("amount", Views.money(d.amount()));
        if (d.reference() != null) {
            m.put("reference", d.reference());
        }
        m.put("balance", Views.money(d.balance()));
        return m;
    }

    private ApiResponse debitDeposits(ApiRequest req) {
        String id = req.pathParam("inmateId");
        inmates.require(req, id);
        return deposits(req, AccountKind.DEBIT, id, "/api/accounts/debit/" + id + "/deposits");
    }

    private ApiResponse prepaidDeposits(ApiRequest req) {
        String btn = NumberInput.e164("btn", req.pathParam("btn"));
        if (store.accounts().prepaid(btn).isEmpty()) {
            throw ApiException.notFound("no prepaid account for " + btn);
        }
        return deposits(req, AccountKind.PREPAID, btn, "/api/accounts/prepaid/" + btn + "/deposits");
    }

    /**
     * One page of an account's deposits, newest first. Paging is {@code limit} (as every list here) plus a
     * {@code before} cursor, the id of the last deposit of the previous page: deposits arrive while
     * customer service pages, and an offset would then repeat rows. {@code next} is the next page's
     * path, or null on the last page.
     */
    private ApiResponse deposits(ApiRequest req, AccountKind kind, String account, String path) {
        int limit = Inputs.limit(req, 100, CallEndpoints.MAX_LIMIT);
        Long before = req.query("before").map(AccountEndpoints::cursor).orElse(null);
        // One more than asked tells whether a next page exists without a second query.
        List<Deposit> rows = store.accounts().deposits(kind, account, before, limit + 1);
        boolean more = rows.size() > limit;
        List<Deposit> page = more ? rows.subList(0, limit) : rows;
        List<Map<String, Object>> out = new ArrayList<>();
        for (Deposit d : page) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("at", d.at());
            m.put("amount", Views.money(d.amount()));
            m.put("balance", Views.money(d.balance()));
            m.put("by", d.by());
            m.put("reference", d.reference());
            out.add(m);
        }
        String next = more ? path + "?limit=" + limit + "&before=" + page.get(page.size() - 1).id() : null;
        return ApiResponse.ok(Views.obj("count", out.size(), "deposits", out, "next", next));
    }

    private static long cursor(String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.validation("before", "before must be a deposit id (a positive integer)");
    }
}
