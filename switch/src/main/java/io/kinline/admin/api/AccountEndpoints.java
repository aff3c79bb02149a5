package io.kinline.admin.api;

import io.kinline.admin.http.ApiException;
import io.kinline.admin.http.ApiRequest;
import io.kinline.admin.http.ApiResponse;
import io.kinline.admin.http.JsonBody;
import io.kinline.admin.http.Router;
import io.kinline.store.DebitAccount;
import io.kinline.store.PrepaidAccount;
import io.kinline.store.Store;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
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
        r.add("GET", "/api/accounts/prepaid/{btn}", Roles.ALL, this::getPrepaid);
        r.add("POST", "/api/accounts/prepaid/{btn}/deposits", Roles.MONEY, this::depositPrepaid);
    }

    private static BigDecimal amount(ApiRequest req) {
        JsonBody b = req.json();
        BigDecimal a = b.requiredAmount("amount", MIN_DEPOSIT, MAX_DEPOSIT, 2);
        b.optionalText("reference"); // free text for the audit line (receipt number...)
        b.finish();
        return a;
    }

    private ApiResponse getDebit(ApiRequest req) {
        String id = req.pathParam("inmateId");
        inmates.require(id);
        DebitAccount a = store.accounts().debit(id).orElse(null);
        return ApiResponse.ok(Views.debit(id, a));
    }

    private ApiResponse depositDebit(ApiRequest req) {
        String id = req.pathParam("inmateId");
        BigDecimal amount = amount(req);
        String reference = req.json().optionalText("reference").orElse(null);
        DebitAccount a = Tx.runRetryingConflict(store, () -> {
            inmates.require(id);
            DebitAccount acc = store.accounts().depositDebit(id, amount);
            audit.record(req.principal(), "account.debit.deposit", "inmate:" + id, details(amount, reference,
                    acc.balance()));
            return acc;
        });
        return ApiResponse.created(Views.debit(id, a), "/api/accounts/debit/" + id);
    }

    private ApiResponse getPrepaid(ApiRequest req) {
        String btn = Numbers.e164("btn", req.pathParam("btn"));
        PrepaidAccount a = store.accounts().prepaid(btn)
                .orElseThrow(() -> ApiException.notFound("no prepaid account for " + btn));
        return ApiResponse.ok(Views.prepaid(a));
    }

    private ApiResponse depositPrepaid(ApiRequest req) {
        String btn = Numbers.e164("btn", req.pathParam("btn"));
        BigDecimal amount = amount(req);
        String reference = req.json().optionalText("reference").orElse(null);
        PrepaidAccount a = Tx.runRetryingConflict(store, () -> {
            PrepaidAccount acc = store.accounts().depositPrepaid(btn, amount);
            audit.record(req.principal(), "account.prepaid.deposit", "btn:" + btn, details(amount, reference,
                    acc.balance()));
            return acc;
        });
        return ApiResponse.created(Views.prepaid(a), "/api/accounts/prepaid/" + btn);
    }

    private static Map<String, Object> details(BigDecimal amount, String reference, BigDecimal balance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("amount", Views.money(amount));
        if (reference != null) {
            m.put("reference", reference);
        }
        m.put("balance", Views.money(balance));
        return m;
    }
}
