//! Diesel's view of the tables; kept by hand in step with both migration trees (a test runs the
//! migrations and every query against each backend).

diesel::table! {
    units (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        parent_id -> Nullable<BigInt>,
        path -> Text,
        created_at -> Timestamp,
        arbitration_commission -> Nullable<Text>,
        arbitration_address -> Nullable<Text>,
        committee_name -> Nullable<Text>,
        committee_address -> Nullable<Text>,
        committee_phone -> Nullable<Text>,
        seal_text -> Nullable<Text>,
    }
}

diesel::table! {
    enterprises (id) {
        id -> BigInt,
        name -> Text,
        credit_code -> Nullable<Text>,
        unit_id -> BigInt,
        industry -> Nullable<Text>,
        employee_count -> Nullable<BigInt>,
        has_mediation_committee -> Bool,
        officer_id -> Nullable<BigInt>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        address -> Nullable<Text>,
        legal_representative -> Nullable<Text>,
        phone -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        unit_id -> Nullable<BigInt>,
        enterprise_id -> Nullable<BigInt>,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        daily_digest -> Bool,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> BigInt,
        lockouts -> BigInt,
        locked_until -> Nullable<Timestamp>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    login_failures (id) {
        id -> BigInt,
        address -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    consultations (id) {
        id -> BigInt,
        unit_id -> BigInt,
        received_at -> Timestamp,
        channel -> Text,
        topic -> Text,
        workers -> BigInt,
        enterprise_id -> Nullable<BigInt>,
        summary -> Text,
        answered_by -> BigInt,
        case_id -> Nullable<BigInt>,
        version -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_counters (year) {
        year -> BigInt,
        last -> BigInt,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        case_no -> Text,
        unit_id -> BigInt,
        channel -> Text,
        category -> Text,
        enterprise_id -> BigInt,
        applicant_name -> Nullable<Text>,
        applicant_phone -> Nullable<Text>,
        applicant_id_number -> Nullable<Text>,
        workers_involved -> BigInt,
        amount_claimed -> BigInt,
        description -> Text,
        warning_id -> Nullable<BigInt>,
        mediator_id -> Nullable<BigInt>,
        coordinator_id -> Nullable<BigInt>,
        status -> Text,
        received_at -> Timestamp,
        accept_by -> Date,
        deadline -> Date,
        extended -> Bool,
        outcome -> Nullable<Text>,
        referral -> Nullable<Text>,
        agreement_no -> Nullable<Text>,
        payment_due -> Nullable<Date>,
        amount_agreed -> Nullable<BigInt>,
        amount_paid -> BigInt,
        closed_at -> Nullable<Timestamp>,
        last_event_at -> Timestamp,
        created_by -> BigInt,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    case_events (id) {
        id -> BigInt,
        case_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        at -> Timestamp,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        assignee_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    mediation_sessions (id) {
        id -> BigInt,
        case_id -> BigInt,
        held_at -> Timestamp,
        location -> Text,
        attendees -> Text,
        notes -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    payments (id) {
        id -> BigInt,
        case_id -> BigInt,
        amount -> BigInt,
        paid_at -> Date,
        recorded_by -> BigInt,
        created_at -> Timestamp,
        /// The instalment it was paid against; null: allocated (src/domain/fulfilment.rs).
        term_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    case_notes (id) {
        id -> BigInt,
        case_id -> BigInt,
        author_id -> BigInt,
        text -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    access_log (id) {
        id -> BigInt,
        user_id -> BigInt,
        at -> Timestamp,
        action -> Text,
        record_type -> Text,
        record_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    user_prefs (user_id) {
        user_id -> BigInt,
        lang -> Text,
    }
}

diesel::table! {
    web_sessions (id) {
        id -> Text,
        user_id -> BigInt,
        csrf_token -> Text,
        lang -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        flash -> Nullable<Text>,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    warnings (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        unit_id -> BigInt,
        reported_by -> BigInt,
        level -> Text,
        category -> Text,
        workers_at_risk -> BigInt,
        amount_at_risk -> Nullable<BigInt>,
        description -> Text,
        status -> Text,
        acknowledged_at -> Nullable<Timestamp>,
        acknowledged_by -> Nullable<BigInt>,
        closed_at -> Nullable<Timestamp>,
        note -> Nullable<Text>,
        case_id -> Nullable<BigInt>,
        respond_by -> Timestamp,
        reported_at -> Timestamp,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        recipient -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> BigInt,
        next_attempt_at -> Timestamp,
        lease_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        message_id -> Text,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        kind -> Text,
        case_id -> Nullable<BigInt>,
        warning_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    reminders_sent (id) {
        id -> BigInt,
        kind -> Text,
        record_id -> BigInt,
        threshold -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    report_subscriptions (user_id) {
        user_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> BigInt,
        key -> Text,
        fingerprint -> Text,
        record_type -> Text,
        record_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_tallies (unit_id, status) {
        unit_id -> BigInt,
        status -> Text,
        n -> BigInt,
    }
}

diesel::table! {
    case_digests (case_id) {
        case_id -> BigInt,
        phone -> Nullable<Text>,
        id_number -> Nullable<Text>,
    }
}

diesel::table! {
    admin_events (id) {
        id -> BigInt,
        actor_id -> BigInt,
        at -> Timestamp,
        action -> Text,
        record_type -> Text,
        record_id -> BigInt,
        fields -> Text,
    }
}

diesel::table! {
    evidence (id) {
        id -> BigInt,
        case_id -> Nullable<BigInt>,
        warning_id -> Nullable<BigInt>,
        status -> Text,
        title -> Text,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        provided_by -> Text,
        received_on -> Nullable<Date>,
        internal -> Bool,
        uploaded_by -> BigInt,
        uploaded_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
        removed_by -> Nullable<BigInt>,
        removal_reason -> Nullable<Text>,
    }
}

diesel::table! {
    evidence_chunks (evidence_id, seq) {
        evidence_id -> BigInt,
        seq -> BigInt,
        bytes -> Binary,
    }
}

diesel::joinable!(evidence_chunks -> evidence (evidence_id));

diesel::joinable!(report_subscriptions -> users (user_id));
diesel::joinable!(warnings -> enterprises (enterprise_id));
diesel::joinable!(cases -> enterprises (enterprise_id));
diesel::joinable!(enterprises -> units (unit_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(case_confirmations -> cases (case_id));

diesel::table! {
    /// The judicial confirmation of a resolved case's agreement.
    case_confirmations (case_id) {
        case_id -> BigInt,
        intended -> Bool,
        applied_on -> Nullable<Date>,
        court -> Nullable<Text>,
        result -> Nullable<Text>,
        ruled_on -> Nullable<Date>,
        ruling_no -> Nullable<Text>,
    }
}

diesel::table! {
    /// The days a case's arbitration limitation counts from.
    case_time_limits (case_id) {
        case_id -> BigInt,
        rights_known_on -> Nullable<Date>,
        employment_ended_on -> Nullable<Date>,
    }
}

diesel::table! {
    /// The agent who attends for a case's respondent (one at most).
    case_agents (case_id) {
        case_id -> BigInt,
        name -> Text,
        position -> Nullable<Text>,
        phone -> Nullable<Text>,
    }
}

diesel::table! {
    /// Every applicant of a case registered with `applicants`, the first at position 0 (the
    /// case row keeps the first's name, phone and ID number too).
    case_applicants (id) {
        id -> BigInt,
        case_id -> BigInt,
        position -> BigInt,
        name -> Text,
        sex -> Nullable<Text>,
        phone -> Nullable<Text>,
        id_number -> Nullable<Text>,
        address -> Nullable<Text>,
        amount_claimed -> Nullable<BigInt>,
        representative -> Bool,
    }
}

diesel::table! {
    /// The keyed digests of the numbers of a case's applicants after the first.
    party_digests (id) {
        id -> BigInt,
        case_id -> BigInt,
        phone -> Nullable<Text>,
        id_number -> Nullable<Text>,
    }
}

diesel::table! {
    /// The terms of an agreement: payment instalments and other obligations, in order.
    case_terms (id) {
        id -> BigInt,
        case_id -> BigInt,
        position -> BigInt,
        kind -> Text,
        amount -> Nullable<BigInt>,
        text -> Nullable<Text>,
        due -> Nullable<Date>,
        performed_at -> Nullable<Timestamp>,
        performed_by -> Nullable<BigInt>,
        performed_note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(case_terms -> cases (case_id));

diesel::table! {
    case_follow_ups (id) {
        id -> BigInt,
        case_id -> BigInt,
        done_on -> Date,
        method -> Text,
        satisfaction -> Text,
        notes -> Nullable<Text>,
        by_user -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(case_follow_ups -> cases (case_id));

diesel::table! {
    case_archives (case_id) {
        case_id -> BigInt,
        waived_reason -> Nullable<Text>,
        waived_by -> Nullable<BigInt>,
        waived_at -> Nullable<Timestamp>,
        archive_no -> Nullable<Text>,
        archived_at -> Nullable<Timestamp>,
        archived_by -> Nullable<BigInt>,
    }
}

diesel::joinable!(case_archives -> cases (case_id));

diesel::table! {
    archive_counters (unit_id, year) {
        unit_id -> BigInt,
        year -> BigInt,
        last -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    units,
    enterprises,
    users,
    api_tokens,
    login_throttle,
    login_failures,
    consultations,
    case_counters,
    cases,
    case_digests,
    case_applicants,
    case_agents,
    case_time_limits,
    case_confirmations,
    party_digests,
    case_terms,
    case_follow_ups,
    case_archives,
    archive_counters,
    case_tallies,
    case_events,
    mediation_sessions,
    payments,
    case_notes,
    access_log,
    settings,
    web_sessions,
    user_prefs,
    warnings,
    notifications,
    reminders_sent,
    report_subscriptions,
    evidence,
    evidence_chunks,
);
