/// A failure reported by ICU, with the C status code and the call that produced it.
public struct ICUError: Error, CustomStringConvertible, Sendable, Equatable {
    public let code: Int32
    public let operation: String

    public init(code: Int32, operation: String) {
        self.code = code
        self.operation = operation
    }

    /// ICU reports warnings as negative codes and failures as positive ones (`U_FAILURE`).
    static func check(_ code: Int32, _ operation: String) throws {
        if code > 0 { throw ICUError(code: code, operation: operation) }
    }

    public var description: String { "ICU error \(code) in \(operation)" }
}
