from django.conf import settings


def city(request):
    return {"FOLJA_CITY_NAME": settings.FOLJA_CITY_NAME}
