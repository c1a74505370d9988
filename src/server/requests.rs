//! The requests the server answers: pulled diagnostics, code actions, hover. Each is
//! answered at once, from the current lint of the document (made current first).

use super::*;

impl Server {
    pub(super) fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            request::DocumentDiagnosticRequest::METHOD => {
                parse::<request::DocumentDiagnosticRequest>(request)
                    .map(|params| self.pull_diagnostics(params))
                    .and_then(to_value)
            }
            request::CodeActionRequest::METHOD => parse::<request::CodeActionRequest>(request)
                .map(|params| self.code_actions(params))
                .and_then(to_value),
            request::HoverRequest::METHOD => parse::<request::HoverRequest>(request)
                .map(|params| self.hover(params))
                .and_then(to_value),
            method => Err((
                ErrorCode::MethodNotFound,
                format!("pyparallel does not handle {method}"),
            )),
        };
        self.respond(match result {
            Ok(value) => Response {
                id,
                result: Some(value),
                error: None,
            },
            Err((code, message)) => Response::new_err(id, code as i32, message),
        });
    }

    pub(super) fn pull_diagnostics(
        &mut self,
        params: lsp_types::DocumentDiagnosticParams,
    ) -> DocumentDiagnosticReportResult {
        let uri = params.text_document.uri;
        let unit = self.unit_of(&uri);
        self.due.remove(&unit);
        self.ensure_checked(&unit);
        let Some(checked) = self.checked.get(&unit) else {
            return full_report(None, Vec::new());
        };
        let result_id = format!("{}-{}", checked.version, self.generation);
        if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
            return DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Unchanged(
                RelatedUnchangedDocumentDiagnosticReport {
                    related_documents: None,
                    unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                        result_id,
                    },
                },
            ));
        }
        let Some(layout) = self.layout(&unit) else {
            return full_report(None, Vec::new());
        };
        let items = to_lsp(checked, &layout)
            .into_iter()
            .filter(|(at, _)| *at == uri)
            .map(|(_, diagnostic)| diagnostic)
            .collect();
        full_report(Some(result_id), items)
    }

    pub(super) fn code_actions(
        &mut self,
        params: lsp_types::CodeActionParams,
    ) -> Option<lsp_types::CodeActionResponse> {
        let uri = params.text_document.uri;
        let unit = self.unit_of(&uri);
        self.ensure_checked(&unit);
        let path = self.path_of(&unit);
        let checked = self.checked.get(&unit)?;
        let layout = self.layout(&unit)?;
        let request = actions::Request {
            uri: &uri,
            path: &path,
            layout: &layout,
            checked,
            unsafe_fixes: checked.settings.unsafe_fixes,
        };
        Some(actions::code_actions(
            &request,
            params.range,
            params.context.only.as_deref(),
        ))
    }

    pub(super) fn hover(&mut self, params: lsp_types::HoverParams) -> Option<lsp_types::Hover> {
        let position = params.text_document_position_params;
        let document = self.documents.get(&position.text_document.uri)?;
        hover::hover(document, position.position, self.encoding)
    }
}

type DocumentDiagnosticReportResult = lsp_types::DocumentDiagnosticReportResult;

fn full_report(
    result_id: Option<String>,
    items: Vec<lsp_types::Diagnostic>,
) -> DocumentDiagnosticReportResult {
    DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
        RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
        },
    ))
}

type Handled<T> = Result<T, (ErrorCode, String)>;

fn parse<R: request::Request>(request: Request) -> Handled<R::Params> {
    serde_json::from_value(request.params)
        .map_err(|error| (ErrorCode::InvalidParams, format!("{}: {error}", R::METHOD)))
}

fn to_value(value: impl serde::Serialize) -> Handled<serde_json::Value> {
    serde_json::to_value(value).map_err(|error| (ErrorCode::InternalError, error.to_string()))
}
