from django.core.management.base import BaseCommand

from jobcircle.classifications.services import load_industries, load_occupations


class Command(BaseCommand):
    help = "载入/更新职业分类大典（2022）与国民经济行业分类（GB/T 4754-2017）：按代码 upsert，可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=["occupations", "industries"], help="只载入其中一个目录")
        parser.add_argument("--occupations", metavar="CSV", help="职业分类 CSV（默认使用随代码发布的文件）")
        parser.add_argument("--industries", metavar="CSV", help="行业分类 CSV（默认使用随代码发布的文件）")

    def handle(self, *args, only=None, occupations=None, industries=None, **options):
        jobs = [
            ("职业分类", "occupations", load_occupations, occupations),
            ("行业分类", "industries", load_industries, industries),
        ]
        for label, key, loader, path in jobs:
            if only and only != key:
                continue
            result = loader(path)
            self.stdout.write(
                f"{label}：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
                + (f"，CSV 中已无的代码 {len(result.stale)} 个（未删除）" if result.stale else "")
            )
