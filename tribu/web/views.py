from django.shortcuts import get_object_or_404, render

from tribu.platforms.models import Platform


def home(request):
    platforms = Platform.objects.filter(is_public=True).order_by("name")
    return render(request, "web/home.html", {"platforms": platforms})


def platform_detail(request, slug: str):
    platform = get_object_or_404(Platform, slug=slug, is_public=True)
    return render(request, "web/platform_detail.html", {"platform": platform})
