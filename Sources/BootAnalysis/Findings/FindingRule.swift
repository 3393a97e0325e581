/// One check of a phone's record: the finding code it raises, at which severities, and the
/// function that looks for it.
///
/// A rule is a value, so it can be run on its own: the tests build a ``PhoneRecord`` by hand
/// and call ``evaluate`` without a capture. Every finding a rule returns carries the rule's
/// ``code`` and one of its ``severities``; the message and hint are written next to the check
/// in the rule's declaration (`FindingRule+DHCP.swift` and its neighbours).
struct FindingRule: Sendable {
    /// The code of every finding the rule raises; no other rule raises it.
    let code: Finding.Code
    /// The severities the rule can raise, ascending. Most rules have one; `file-not-found` is
    /// `info` for files a phone asks for whether or not they exist, `warning` for the others.
    let severities: [Finding.Severity]
    /// What the rule checks, in one sentence.
    let summary: String
    /// The findings of this rule for a phone, in the order its evidence appears in the record;
    /// empty when the rule has nothing to say.
    let evaluate: @Sendable (PhoneRecord) -> [Finding]

    /// A rule that raises `code` at one `severity`.
    init(
        code: Finding.Code, severity: Finding.Severity, summary: String,
        evaluate: @escaping @Sendable (PhoneRecord) -> [Finding]
    ) {
        self.init(code: code, severities: [severity], summary: summary, evaluate: evaluate)
    }

    /// A rule that raises `code` at any of `severities`, depending on what it finds.
    init(
        code: Finding.Code, severities: [Finding.Severity], summary: String,
        evaluate: @escaping @Sendable (PhoneRecord) -> [Finding]
    ) {
        self.code = code
        self.severities = severities.sorted()
        self.summary = summary
        self.evaluate = evaluate
    }

    /// True when `finding` is one this rule may raise: its code, one of its severities.
    func mayRaise(_ finding: Finding) -> Bool {
        finding.code == self.code && self.severities.contains(finding.severity)
    }
}
