"""Files tablejam reads and writes: instances, spreadsheets, schedules and settings in; outputs written atomically."""

from tablejam.files.documents import parse_model, read_bytes
from tablejam.files.load import Files, history_pairs, instance_from_data, load_instance, load_schedule, load_setting
from tablejam.files.spreadsheet import read_participant_sheet, read_participants
from tablejam.files.write import check_writable, write_atomic, write_files_atomic

__all__ = [
    "Files",
    "check_writable",
    "history_pairs",
    "instance_from_data",
    "load_instance",
    "load_schedule",
    "load_setting",
    "parse_model",
    "read_bytes",
    "read_participant_sheet",
    "read_participants",
    "write_atomic",
    "write_files_atomic",
]
