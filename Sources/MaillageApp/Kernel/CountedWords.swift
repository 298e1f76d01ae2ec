import MaillageCore

extension Translator {
    /// "1 produit", "3 produits" / "1 product", "3 products": a count with its word in the reader's language.
    func count(_ number: Int, _ frSingular: String, _ frPlural: String, _ enSingular: String, _ enPlural: String) -> String {
        Plural.count(number, fr: (frSingular, frPlural), en: (enSingular, enPlural), language)
    }

    /// "8,00" in French, "8.00" in English.
    func decimal(_ value: Double, digits: Int) -> String { NumberText.decimal(value, digits: digits, language) }

    /// "60,6 %" in French, "60.6%" in English.
    func percent(_ value: Double, digits: Int = 1) -> String { NumberText.percent(value, digits: digits, language) }
}
