import Foundation
import Testing
@testable import ICUText

/// The shipped traditional → simplified table is what ICU's transform gives on this machine.
@Suite struct VariantTableTests {
    @Test func shippedTableMatchesICU() throws {
        let computed = VariantFolding.build()
        if let path = ProcessInfo.processInfo.environment["CS_WRITE_VARIANT_TABLE"] {
            // Regenerates the table's pairs (see VariantFolding+Table.swift).
            var pairs = ""
            for (i, value) in computed.enumerated() where value != VariantFolding.firstIdeograph + UInt32(i) {
                pairs.unicodeScalars.append(Unicode.Scalar(VariantFolding.firstIdeograph + UInt32(i))!)
                pairs.unicodeScalars.append(Unicode.Scalar(value)!)
            }
            try pairs.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(VariantFolding.traditionalToSimplified == computed)
    }
}
