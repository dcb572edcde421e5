"""Feedback's use cases, for the edges and the composition root."""

from __future__ import annotations

from clientkeep.feedback.kinds import FEEDBACK, FeedbackAnswers
from clientkeep.feedback.model import SCALES, Feedback, Scale
from clientkeep.feedback.recording import (
    FeedbackPage,
    FeedbackView,
    Recorded,
    RecordFeedback,
    cursor_of,
    customer_feedback,
    parse_cursor,
    record_feedback,
)
from clientkeep.feedback.reports import (
    GROUPINGS,
    SatisfactionLine,
    SatisfactionReport,
    report_csv,
    report_rows,
    satisfaction_dashboard,
    satisfaction_report,
)
from clientkeep.feedback.scores import Tally, csat_percent, nps_score, tally
from clientkeep.feedback.survey import (
    AskForFeedback,
    NoEmailOnRecord,
    QueuedSurvey,
    SurveyContext,
    SurveyEmail,
    SurveyRenderer,
    ask_for_feedback,
)
from clientkeep.feedback.timeline import FeedbackTimeline

__all__ = [
    "FEEDBACK",
    "GROUPINGS",
    "SCALES",
    "AskForFeedback",
    "Feedback",
    "FeedbackAnswers",
    "FeedbackPage",
    "FeedbackTimeline",
    "FeedbackView",
    "NoEmailOnRecord",
    "QueuedSurvey",
    "RecordFeedback",
    "Recorded",
    "SatisfactionLine",
    "SatisfactionReport",
    "Scale",
    "SurveyContext",
    "SurveyEmail",
    "SurveyRenderer",
    "Tally",
    "ask_for_feedback",
    "csat_percent",
    "cursor_of",
    "customer_feedback",
    "nps_score",
    "parse_cursor",
    "record_feedback",
    "report_csv",
    "report_rows",
    "satisfaction_dashboard",
    "satisfaction_report",
    "tally",
]
