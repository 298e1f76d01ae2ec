import Testing

extension Tag {
    /// Reads the third-party standard documents of `MAILLAGE_FIXTURES`; skipped where it is unset.
    /// Suites with this tag are named `…Conformance`, which `.ci/run` checks were not skipped.
    @Tag static var conformance: Self
}
