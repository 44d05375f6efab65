"""A claim payment as a biller reads an ERA: billed, allowed, paid, the patient's share, and
every adjustment and remark with its reason in words; provider-level adjustments likewise."""
from __future__ import annotations

from decimal import Decimal

from x12kit.models.remittance import ClaimPayment, PaymentHeader, ProviderAdjustment
from x12kit.models.values import Adjustment
from x12kit.views.text import box, identified, money, name, table, when, words


def _payment(header: PaymentHeader) -> list[str]:
    return [box("Payment", f"{money(header.amount)} by {header.method or '-'} "
                           f"{header.trace_number or '-'} on {when(header.payment_date)}"),
            box("Payer", identified(header.payer)),
            box("Payee", identified(header.payee))]


def _adjustment_lines(adjustments: tuple[Adjustment, ...], on) -> list[str]:
    return [box(f"  {words('cas_group', a.group)}",
                f"{money(a.amount)}  {words('carc', a.reason, on)}") for a in adjustments]


def _allowed(payment: ClaimPayment):
    """What the payer allowed: AMT*B6 of every line where all lines give it."""
    amounts = [s.allowed for s in payment.services]
    return sum(amounts, Decimal(0)) if amounts and None not in amounts else None


def claim_payment(payment: ClaimPayment) -> list[str]:
    on = payment.payment.payment_date
    out = [f"Claim payment {payment.pcn}: {words('claim_status_835', payment.status)}",
           *_payment(payment.payment),
           box("Patient", name(payment.patient)),
           box("Payer claim number", payment.payer_claim_number or "-"),
           box("Billed", money(payment.charge)),
           box("Allowed", money(_allowed(payment))),
           box("Paid", money(payment.paid)),
           box("Patient responsibility", money(payment.patient_responsibility))]
    if payment.adjustments:
        out.append(box("Claim adjustments", ""))
        out += _adjustment_lines(payment.adjustments, on)
    for code in payment.remarks:
        out.append(box("Remark", words("rarc", code, on)))
    if payment.services:
        out.append(box("Service lines", ""))
        out += table(((s.control_number or "-",
                       s.billed_procedure.code if s.billed_procedure else "-",
                       when(next((d.dates for d in s.dates if d.qualifier == "472"), None)),
                       money(s.charge), money(s.allowed), money(s.paid))
                      for s in payment.services),
                     ("line", "procedure", "date", "billed", "allowed", "paid"))
        for s in payment.services:
            label = s.control_number or (s.billed_procedure.code if s.billed_procedure else "-")
            for a in s.adjustments:
                out.append(box(f"  line {label} {words('cas_group', a.group)}",
                               f"{money(a.amount)}  {words('carc', a.reason, on)}"))
            for code in s.remarks:
                out.append(box(f"  line {label} remark", words("rarc", code, on)))
    return out


def provider_adjustment(adjustment: ProviderAdjustment) -> list[str]:
    return [f"Provider adjustment {words('plb_reason', adjustment.reason)}",
            *_payment(adjustment.payment),
            box("Provider", adjustment.provider_id),
            box("Reference", adjustment.reference or "-"),
            box("Amount (positive reduces the payment)", money(adjustment.amount))]
