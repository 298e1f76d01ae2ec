import Vapor

/// A JSON list answer: `{"data": [...]}`, the one envelope of every list in the API.
struct APIPage<T: Content>: Content { var data: [T] }
